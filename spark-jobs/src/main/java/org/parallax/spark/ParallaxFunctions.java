package org.parallax.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * parallax's SQL functions, for a session that is already running:
 * {@code ParallaxFunctions.register(spark)} makes {@code parallax_normalize_answer},
 * {@code parallax_em}, {@code parallax_subem}, {@code parallax_f1}, {@code parallax_search} and
 * {@code parallax_embed} callable in that session's SQL and in {@code functions.expr}. New
 * sessions get them from {@code spark.sql.extensions=}{@link ParallaxExtensions}. Registering
 * twice replaces the functions with equal ones.
 */
public final class ParallaxFunctions {
  private ParallaxFunctions() {}

  /** Registers every parallax SQL function in {@code spark}. */
  public static void register(SparkSession spark) {
    for (SqlFunction f : all()) {
      spark.sessionState().functionRegistry().registerFunction(f.identifier(), f.info(),
          f.scalaBuilder());
    }
  }

  /** The names of the functions {@link #register} registers. */
  public static List<String> names() {
    return all().stream().map(SqlFunction::name).toList();
  }

  static List<SqlFunction> all() {
    List<SqlFunction> all = new ArrayList<>(AnswerFunctions.all());
    all.add(SearchFunction.function());
    all.add(EmbedFunction.function());
    return all;
  }
}
