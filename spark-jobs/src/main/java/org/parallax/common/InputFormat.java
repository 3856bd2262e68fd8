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
   * ({@code .csv}, {@code .json}/{@code .jsonl}, anything else Parquet).
   */
  public static InputFormat of(String path, String explicit) {
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
