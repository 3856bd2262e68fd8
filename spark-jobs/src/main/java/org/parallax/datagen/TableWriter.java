package org.parallax.datagen;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writes a generated table in the format the user asked for. */
final class TableWriter {
  private TableWriter() {}

  static void write(Dataset<Row> df, String format, String path) {
    switch (format) {
      case "csv":
        df.write().option("header", "true").csv(path);
        break;
      case "jsonl":
        df.write().json(path);
        break;
      default:
        df.write().parquet(path);
    }
  }
}
