package org.parallax.retrieval;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
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

  /** Returns {@code id, contents} of the well-formed passages. */
  public static Dataset<Row> read(JobContext ctx, String path, String format) {
    InputFormat fmt = InputFormat.of(path, format);
    boolean titleText = fmt == InputFormat.PARQUET && !Arrays.asList(
        ctx.spark().read().parquet(path).columns()).contains("contents");
    if (!titleText) {
      return ctx.reader().read(path, fmt, InputSchema.named("corpus")
          .required("id", DataTypes.StringType)
          .required("contents", DataTypes.StringType)
          .rule("empty_contents", "empty contents", trim(col("contents")).equalTo(""))
          .build());
    }
    Dataset<Row> rows = ctx.reader().read(path, fmt, InputSchema.named("corpus")
        .required("id", DataTypes.StringType)
        .optional("title", DataTypes.StringType)
        .required("text", DataTypes.StringType)
        .rule("empty_contents", "empty text", trim(col("text")).equalTo(""))
        .build());
    return rows.select(col("id"), concat(lit("\""), coalesce(col("title"), lit("")), lit("\"\n"),
        col("text")).as("contents"));
  }
}
