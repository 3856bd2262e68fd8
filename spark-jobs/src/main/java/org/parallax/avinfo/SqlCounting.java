package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The relational {@link StatsCounting}, every operator one the RAPIDS accelerator runs on GPUs:
 * runs by a window ({@link StatsJob#runs}), per-utterance tables for the jackknife and bootstrap,
 * the nulls by joins and windows ({@link StatsNulls}).
 */
final class SqlCounting implements StatsCounting {
  private final Dataset<Row> runs;
  private Dataset<Row> perUtterance;
  private final Dataset<Row> frames;
  private Dataset<Row> grouped;
  private org.apache.spark.api.java.JavaRDD<UtteranceRuns.Runs> records;

  SqlCounting(Dataset<Row> frames) {
    this.frames = frames;
    this.runs = StatsJob.runs(frames).cache();
  }

  /**
   * The joint table per (speaker, data source), counted once: the whole table and both breakdowns
   * come from it.
   */
  private Dataset<Row> grouped() {
    if (grouped == null) {
      grouped = runs.groupBy(col("speaker_id"), col("data_source"), col(StatsJob.UNITS[0]),
          col(StatsJob.UNITS[1]), col(StatsJob.UNITS[2])).agg(sum("len").as("c")).cache();
    }
    return grouped;
  }

  @Override
  public JointCounts total() {
    return StatsJob.joint(grouped().groupBy(col(StatsJob.UNITS[0]), col(StatsJob.UNITS[1]),
        col(StatsJob.UNITS[2])).agg(sum("c")).collectAsList(), 0);
  }

  /** Runs are partitioned by utterance: the per-utterance tables need no further exchange. */
  private Dataset<Row> perUtterance() {
    if (perUtterance == null) {
      perUtterance = runs.groupBy(col("utterance_id"), col(StatsJob.UNITS[0]),
          col(StatsJob.UNITS[1]), col(StatsJob.UNITS[2])).agg(sum("len").as("k")).cache();
    }
    return perUtterance;
  }

  @Override
  public Jackknife jackknife(JointCounts total) {
    return UtteranceResampling.jackknife(perUtterance(), total);
  }

  @Override
  public Map<NullPairing, JointCounts> nulls(long utterances, long seed) {
    Map<NullPairing, JointCounts> out = StatsNulls.shuffledTables(runs, utterances, seed,
        StatsNulls.UTTERANCES_PER_BUCKET);
    out.put(NullPairing.VISUAL_SHUFFLED_WITHIN_TEXT, StatsNulls.conditionallyShuffled(runs,
        utterances, seed, StatsNulls.UTTERANCES_PER_BUCKET));
    return out;
  }

  @Override
  public List<JointCounts> bootstrap(int replicates, long seed) {
    return UtteranceResampling.bootstrap(perUtterance(), replicates, seed);
  }

  @Override
  public Dataset<Row> profiles(String key, double base) {
    return GroupProfiles.of(grouped().groupBy(col(key), col(StatsJob.UNITS[0]),
        col(StatsJob.UNITS[1]), col(StatsJob.UNITS[2])).agg(sum("c").as("c")), key, base);
  }

  /**
   * The record path's draws ({@link NullReplicates}): N draws of four nulls are in-memory loops no
   * relational plan gives without N joins.
   */
  @Override
  public Map<String, long[]> nullsAtLeastObserved(String key, long seed, int draws) {
    if (records == null) {
      records = UtteranceRuns.fromFrames(frames).persist(
          org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    }
    return NullReplicates.atLeastObserved(records, key, seed, draws,
        StatsNulls.UTTERANCES_PER_BUCKET);
  }

  @Override
  public void close() {
    if (records != null) {
      records.unpersist(false);
    }
    if (grouped != null) {
      grouped.unpersist();
    }
    if (perUtterance != null) {
      perUtterance.unpersist();
    }
    runs.unpersist();
  }
}
