package org.parallax.avinfo;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The {@link StatsCounting} for CPUs: each input partition folds its frames into runs in
 * memory and only those cross the network, one record per utterance ({@link UtteranceRuns}),
 * kept as objects (no conversion to and from Spark rows on each use); the whole table, the
 * per-group tables, the jackknife and the bootstrap stream the records
 * ({@link UtteranceResampling}, {@link GroupProfiles#ofRecords}), the four nulls come from one
 * exchange of the records by derangement bucket ({@link BucketNulls}). No frame is exchanged
 * or sorted.
 */
final class RecordCounting implements StatsCounting {
  private final SparkSession spark;
  private final JavaRDD<UtteranceRuns.Runs> records;

  RecordCounting(Dataset<Row> frames) {
    this.spark = frames.sparkSession();
    this.records = UtteranceRuns.fromFrames(frames).persist(StorageLevel.MEMORY_AND_DISK());
  }

  @Override
  public JointCounts total() {
    return UtteranceRuns.total(records);
  }

  @Override
  public Jackknife jackknife(JointCounts total) {
    return UtteranceResampling.jackknife(records, total);
  }

  @Override
  public Map<NullPairing, JointCounts> nulls(long utterances, long seed) {
    return BucketNulls.tables(records, utterances, seed, StatsNulls.UTTERANCES_PER_BUCKET);
  }

  @Override
  public List<long[]> bootstrap(int replicates, long seed, DenseCells cells) {
    return UtteranceResampling.bootstrap(records, replicates, seed, cells);
  }

  @Override
  public Dataset<Row> profiles(String key, double base) {
    return GroupProfiles.ofRecords(spark, records, key, base);
  }

  @Override
  public void close() {
    records.unpersist(false);
  }
}
