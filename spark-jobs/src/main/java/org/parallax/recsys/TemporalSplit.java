package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * RelBench's temporal split of an interaction log. The test cutoff lies one window before the last
 * event, the validation cutoff one window before that, and training cutoffs step back one window
 * at a time. A user's labels at cutoff c are the items it interacts with in (c, c + window]; a
 * user with no such item has no row and is not evaluated at c. Window k holds the events in
 * (testCutoff - k*W, testCutoff - (k-1)*W], so each event's window is arithmetic on its timestamp
 * and the split needs no range join.
 */
public final class TemporalSplit {
  private final long testCutoff;
  private final long window;
  private final int trainWindows;

  /**
   * @param lastEventEpoch the last event's time, in epoch seconds
   * @param windowDays the label window
   * @param trainWindows the number of training cutoffs
   */
  public TemporalSplit(long lastEventEpoch, int windowDays, int trainWindows) {
    this.window = windowDays * 86_400L;
    this.testCutoff = lastEventEpoch - window;
    this.trainWindows = trainWindows;
  }

  public long testCutoff() {
    return testCutoff;
  }

  /** The cutoff of window k, in epoch seconds (0 test, 1 validation, 2.. training). */
  public long cutoff(int k) {
    return testCutoff - k * window;
  }

  /**
   * {@code user_id, original_user_id, window, label_items, original_label_items, label_events,
   * split, cutoff} of every labelled user: ids dense ({@link IdDictionary}) and as the user has
   * them, the two label sets the same items, each sorted, so the table is the same however the
   * events were partitioned.
   *
   * @param events {@code user_id, original_user_id, item_id, original_item_id, ts}
   */
  public Dataset<Row> labels(Dataset<Row> events) {
    return events
        .withColumn("window", floor(lit(testCutoff).minus(unix_timestamp(col("ts")))
            .divide(window)).plus(1).cast("int"))
        .filter(col("window").between(0L, 1L + trainWindows))
        .groupBy("user_id", "original_user_id", "window")
        .agg(sort_array(collect_set("item_id")).as("label_items"),
            sort_array(collect_set("original_item_id")).as("original_label_items"),
            count(lit(1)).as("label_events"))
        .withColumn("split", when(col("window").equalTo(0), "test")
            .when(col("window").equalTo(1), "val").otherwise("train"))
        .withColumn("cutoff",
            timestamp_seconds(lit(testCutoff).minus(col("window").multiply(window))));
  }
}
