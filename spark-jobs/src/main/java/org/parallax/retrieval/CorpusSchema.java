package org.parallax.retrieval;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.CheckedInput;
import org.parallax.common.InputFormat;
import org.parallax.common.InputSchema;
import org.parallax.common.JobContext;

/**
 * Reads a passage corpus: Search-R1 / wiki-18 JSONL ({@code id, contents}) or Parquet with either
 * {@code id, contents} or {@code id, title, text} (turned into {@code "title"\ntext}). Numeric ids
 * are read as text. A passage with empty contents is quarantined (it could never be retrieved).
 */
public final class CorpusSchema {
  private CorpusSchema() {}

  /** A checked corpus and the expression of a passage's contents over its typed columns. */
  public record Corpus(CheckedInput input, Column contents) {}

  /** Reads and checks the corpus without running anything (see {@link CheckedInput}). */
  public static Corpus check(JobContext ctx, String path, String format) {
    InputFormat fmt = InputFormat.of(path, format);
    boolean titleText = fmt == InputFormat.PARQUET && !Arrays.asList(
        ctx.spark().read().parquet(path).columns()).contains("contents");
    if (!titleText) {
      return new Corpus(ctx.reader().check(path, fmt, InputSchema.named("corpus")
          .required("id", DataTypes.StringType)
          .required("contents", DataTypes.StringType)
          .rule("empty_contents", "empty contents", trim(col("contents")).equalTo(""))
          .build()), col("contents"));
    }
    CheckedInput in = ctx.reader().check(path, fmt, InputSchema.named("corpus")
        .required("id", DataTypes.StringType)
        .optional("title", DataTypes.StringType)
        .required("text", DataTypes.StringType)
        .rule("empty_contents", "empty text", trim(col("text")).equalTo(""))
        .build());
    return new Corpus(in, concat(lit("\""), coalesce(col("title"), lit("")), lit("\"\n"),
        col("text")));
  }
}
