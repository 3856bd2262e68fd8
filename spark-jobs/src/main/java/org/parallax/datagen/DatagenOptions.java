package org.parallax.datagen;

import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code datagen <area>}.
 *
 * @param area recsys, retrieval or avinfo
 * @param common output, overwrite and seed
 * @param scale rows of the main table: interactions, passages or frames
 * @param format tabular output format: parquet, csv or jsonl (retrieval always writes JSONL)
 * @param setting the kind of data within the area: {@code default}, or for recsys
 *     {@code grocery} ({@link GroceryGenerator})
 */
public record DatagenOptions(String area, CommonOptions common, long scale, String format,
    String setting) implements JobOptions {
  public DatagenOptions(String area, CommonOptions common, long scale, String format) {
    this(area, common, scale, format, "default");
  }

  public DatagenOptions {
    if (!setting.equals("default") && !(area.equals("recsys") && setting.equals("grocery"))) {
      throw new IllegalArgumentException("--setting must be default"
          + (area.equals("recsys") ? " or grocery" : "") + " for " + area + ", got " + setting);
    }
    if (scale < 1) {
      throw new IllegalArgumentException("--scale must be at least 1, got " + scale);
    }
    if (!format.equals("parquet") && !format.equals("csv") && !format.equals("jsonl")) {
      throw new IllegalArgumentException("--format must be parquet, csv or jsonl, got " + format);
    }
  }
}
