package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import java.time.Instant;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.InputFormat;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * The time span of an interaction log, its first and last well-formed event in epoch seconds,
 * and what {@link TemporalSplit} makes of it for a label window: the split's cutoff {@code k}
 * lies {@code k + 1} windows before the last event, and a training cutoff (k >= 2) has history
 * only when it is at or after the first event. So a window of {@code W} days leaves a training
 * cutoff with history only in a log spanning at least {@code 3 W} days.
 *
 * @param first the first event, in epoch seconds (rounded up, so a cutoff at or after it is
 *     after the event)
 * @param last the last event, in epoch seconds (rounded down, as {@code recsys graph} does)
 */
public record LogSpan(long first, long last) {
  private static final long DAY = 86_400L;

  /**
   * The span of the well-formed events of {@code o}'s interaction log, read as {@code recsys
   * graph} reads it (format, column names, timestamp parsing), in one aggregation and nothing
   * written: the cheap pass that lets a pipeline refuse a window before its heavy work.
   *
   * @throws JobFailedException when the log has no well-formed event
   */
  public static LogSpan read(SparkSession spark, GraphOptions o) {
    Row r = org.parallax.common.TimestampParsing.corrected(spark, () ->
        new JobContext(spark, null, null, o.common()).reader()
            .check(o.interactions(), InputFormat.of(o.interactions(), o.format()),
                InteractionSchema.get(o.timestamps()).withAliases(o.columns()))
            .accepted().agg(min(col("ts")), max(col("ts"))).first());
    if (r.isNullAt(0)) {
      throw new JobFailedException("input interactions (" + o.interactions() + ") has no "
          + "well-formed event: nothing to split");
    }
    return of(r.getTimestamp(0), r.getTimestamp(1));
  }

  /** The span from the first event's time to the last's. */
  public static LogSpan of(java.sql.Timestamp first, java.sql.Timestamp last) {
    return new LogSpan(Math.floorDiv(first.getTime() + 999, 1000),
        Math.floorDiv(last.getTime(), 1000));
  }

  /** Seconds from the first event to the last. */
  public long seconds() {
    return last - first;
  }

  /** The longest label window (days) that leaves a training cutoff with history; 0 if none. */
  public long longestWindowDays() {
    return seconds() / (3 * DAY);
  }

  /**
   * How many of the {@code trainWindows} training cutoffs of a {@code windowDays} split are at
   * or after the first event (0 when none is).
   */
  public long trainCutoffsWithHistory(int windowDays, int trainWindows) {
    return Math.max(0, Math.min(trainWindows, seconds() / (windowDays * DAY) - 2));
  }

  /**
   * Refuses a label window that leaves no training cutoff with history, naming the option, the
   * value, the span and the longest window that fits.
   *
   * @throws IllegalArgumentException (bad usage) when {@code windowDays} is too long
   */
  public void requireTrainingCutoff(int windowDays) {
    if (trainCutoffsWithHistory(windowDays, 1) > 0) {
      return;
    }
    long fits = longestWindowDays();
    throw new IllegalArgumentException(String.format("--window-days %d leaves no training cutoff "
        + "in a log spanning %s (%s to %s); %s", windowDays, days(), Instant.ofEpochSecond(first),
        Instant.ofEpochSecond(last), fits > 0 ? "at most " + fits + " fits"
            : "no window fits: the test, validation and one training window need a log "
                + "spanning at least 3 days"));
  }

  /** The span in days, as a person reads it: whole days, or one decimal under ten days. */
  public String days() {
    double d = seconds() / (double) DAY;
    return d >= 10 ? (long) d + " days" : String.format(java.util.Locale.ROOT, "%.1f days", d);
  }
}
