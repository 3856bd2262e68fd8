package org.parallax.spark;

import java.util.List;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.rollout.AnswerScorer;
import org.parallax.text.AnswerNormalizer;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * Search-R1's answer scoring as SQL functions, through the very code {@code rollout eval} scores
 * with ({@link AnswerNormalizer}, {@link AnswerScorer}): {@code parallax_normalize_answer(s)},
 * and {@code parallax_em}, {@code parallax_subem}, {@code parallax_f1} of {@code (prediction,
 * golden_answers)} as doubles. As in {@code rollout eval}, a question without gold answers (an
 * empty array) has no score (null); a null argument gives null.
 */
final class AnswerFunctions {
  private static final String SHAPE = "(prediction, golden_answers)";

  private AnswerFunctions() {}

  static List<SqlFunction> all() {
    return List.of(
        new SqlFunction("parallax_normalize_answer", "_FUNC_(s) - s normalised as Search-R1 "
            + "normalises answers: lower case, no punctuation, no articles, single spaces.",
            args -> {
              FunctionArguments a = new FunctionArguments("parallax_normalize_answer", args, 1,
                  1, "(s)");
              UDF1<String, String> f = s -> s == null ? null : AnswerNormalizer.normalize(s);
              return a.call(functions.udf(f, DataTypes.StringType), a.column(0, "string"));
            }),
        score("parallax_em", "exact match (1.0 or 0.0)", Rule.EM),
        score("parallax_subem", "substring exact match (1.0 or 0.0)", Rule.SUBEM),
        score("parallax_f1", "the best token F1", Rule.F1));
  }

  /** The scoring rules, each one call of {@link AnswerScorer}. */
  enum Rule {
    EM, SUBEM, F1;

    double apply(String prediction, List<String> golds) {
      return switch (this) {
        case EM -> AnswerScorer.exactMatch(prediction, golds) ? 1.0 : 0.0;
        case SUBEM -> AnswerScorer.substringMatch(prediction, golds) ? 1.0 : 0.0;
        case F1 -> AnswerScorer.f1(prediction, golds);
      };
    }
  }

  /** The score of a prediction, null when it or the gold answers are null or there are none. */
  static Double score(Rule rule, String prediction, List<String> golds) {
    return prediction == null || golds == null || golds.isEmpty() ? null
        : rule.apply(prediction, golds);
  }

  private static SqlFunction score(String name, String what, Rule rule) {
    return new SqlFunction(name, "_FUNC_" + SHAPE + " - Search-R1's " + what + " of the "
        + "prediction against any of the gold answers, after normalisation; null without gold "
        + "answers.", args -> {
          FunctionArguments a = new FunctionArguments(name, args, 2, 2, SHAPE);
          return a.call(udf(rule), a.column(0, "string"), a.column(1, "array<string>"));
        });
  }

  /** {@link #score} as a UDF of (string, array of strings) to a double. */
  static UserDefinedFunction udf(Rule rule) {
    UDF2<String, Seq<String>, Double> f = (p, g) -> score(rule, p,
        g == null ? null : JavaConverters.seqAsJavaList(g));
    return functions.udf(f, DataTypes.DoubleType);
  }
}
