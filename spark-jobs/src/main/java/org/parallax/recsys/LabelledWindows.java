package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The labelled (user, cutoff) rows of the training and validation splits of a {@code recsys
 * graph} output, and the last window they occupy, in one aggregation. The trainer's item-feature
 * table has one context per window an example can read, so its size comes from here, from the
 * examples' own windows.
 */
final class LabelledWindows {
  private final Map<String, Long> rows;
  private final int lastWindow;

  private LabelledWindows(Map<String, Long> rows, int lastWindow) {
    this.rows = rows;
    this.lastWindow = lastWindow;
  }

  /** From {@code labels} ({@code split, window, ...}). */
  static LabelledWindows of(Dataset<Row> labels) {
    Map<String, Long> rows = new HashMap<>(Map.of("train", 0L, "val", 0L));
    int last = 1;
    for (Row r : labels.filter(col("split").isin("train", "val")).groupBy("split")
        .agg(count(lit(1)), max("window")).collectAsList()) {
      rows.put(r.getString(0), r.getLong(1));
      last = Math.max(last, r.getInt(2));
    }
    return new LabelledWindows(rows, last);
  }

  /** Labelled (user, cutoff) rows of {@code split} ({@code train} or {@code val}). */
  long rows(String split) {
    return rows.getOrDefault(split, 0L);
  }

  /** Contexts of the item-feature table: windows 0 (test) to the last labelled one. */
  int contexts() {
    return lastWindow + 1;
  }
}
