package org.parallax.datagen;

import org.parallax.common.CommonOptions;

/**
 * Options of {@code datagen <area>}.
 *
 * @param area recsys, retrieval or avinfo
 * @param common output, overwrite and seed
 * @param scale rows of the main table: interactions, passages or frames
 * @param format tabular output format: parquet, csv or jsonl (retrieval always writes JSONL)
 */
public record DatagenOptions(String area, CommonOptions common, long scale, String format) {
  public DatagenOptions {
    if (scale < 1) {
      throw new IllegalArgumentException("--scale must be at least 1, got " + scale);
    }
    if (!format.equals("parquet") && !format.equals("csv") && !format.equals("jsonl")) {
      throw new IllegalArgumentException("--format must be parquet, csv or jsonl, got " + format);
    }
  }
}
