package org.parallax.common;

import java.util.Locale;

/** The tabular formats jobs read, each with an explicit schema. */
public enum InputFormat {
  PARQUET,
  JSONL,
  CSV;

  /**
   * Checks a {@code --format} option (null or blank means "from the extension"), so that a
   * wrong name is bad usage reported before any work starts.
   */
  public static void checkOption(String explicit) {
    if (explicit != null && !explicit.isBlank()) {
      try {
        valueOf(explicit.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "--format must be parquet, jsonl or csv, got '" + explicit + "'");
      }
    }
  }

  /**
   * The format named by {@code explicit}, or else the one the path's extension implies
   * ({@code .csv}, {@code .json}/{@code .jsonl}), or else, for a folder without an extension
   * (what Spark writes), the one its data files' extensions imply; anything else Parquet.
   */
  public static InputFormat of(String path, String explicit) {
    InputFormat named = fromName(path, explicit);
    if (named != PARQUET || (explicit != null && !explicit.isBlank())) {
      return named;
    }
    InputFormat parts = ofPartFiles(path);
    return parts == null ? PARQUET : parts;
  }

  /** The format of a folder's data files (names not starting with "_" or "."), or null. */
  private static InputFormat ofPartFiles(String path) {
    try {
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path);
      org.apache.hadoop.conf.Configuration conf = org.apache.spark.sql.SparkSession
          .getActiveSession().map(s -> s.sparkContext().hadoopConfiguration())
          .getOrElse(org.apache.hadoop.conf.Configuration::new);
      org.apache.hadoop.fs.FileSystem fs = dir.getFileSystem(conf);
      if (!fs.getFileStatus(dir).isDirectory()) {
        return null;
      }
      for (org.apache.hadoop.fs.FileStatus f : fs.listStatus(dir)) {
        String name = f.getPath().getName();
        if (f.isFile() && !name.startsWith("_") && !name.startsWith(".")) {
          InputFormat byName = fromName(name, null);
          if (byName != PARQUET || name.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return byName;
          }
        }
      }
      return null;
    } catch (java.io.IOException | IllegalArgumentException e) {
      return null; // a path that cannot be listed is reported by the reader, with its name
    }
  }

  private static InputFormat fromName(String path, String explicit) {
    if (explicit != null && !explicit.isBlank()) {
      try {
        return valueOf(explicit.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "unknown input format '" + explicit + "'; expected parquet, jsonl or csv");
      }
    }
    String p = path.toLowerCase(Locale.ROOT);
    if (p.endsWith(".csv") || p.endsWith(".csv.gz")) {
      return CSV;
    }
    if (p.endsWith(".json") || p.endsWith(".jsonl") || p.endsWith(".json.gz")
        || p.endsWith(".jsonl.gz")) {
      return JSONL;
    }
    return PARQUET;
  }
}
