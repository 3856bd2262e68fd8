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
  /** What is kept: the records, or with them the input's counts ({@link #ofChecked}). */
  private final JavaRDD<?> kept;
  private JointCounts total;

  RecordCounting(Dataset<Row> frames) {
    this.spark = frames.sparkSession();
    this.records = UtteranceRuns.fromFrames(frames).persist(StorageLevel.MEMORY_AND_DISK());
    this.kept = records;
  }

  private RecordCounting(SparkSession spark, JavaRDD<Object> kept) {
    this.spark = spark;
    this.kept = kept;
    this.records = kept.filter(o -> o instanceof UtteranceRuns.Runs)
        .map(o -> (UtteranceRuns.Runs) o);
  }

  /**
   * Over a checked input ({@link CheckedFold#fold}: the frames' columns and
   * {@code bad}), reading it once: the pass that folds the valid frames into pieces also counts
   * the input, the counts travel with the pieces and stay with the merged records, and are
   * returned in {@code counts[0]} (the job that builds and keeps the records).
   */
  static RecordCounting ofChecked(Dataset<Row> checked, CheckedFold.InputCounts[] counts) {
    SparkSession spark = checked.sparkSession();
    JavaRDD<Object> kept = PieceExchange.mergedChecked(CheckedFold.fold(checked),
        UtteranceRuns.partitions(spark)).persist(StorageLevel.MEMORY_AND_DISK());
    RecordCounting out = new RecordCounting(spark, kept);
    CheckedFold.InputCounts sum = new CheckedFold.InputCounts();
    try {
      kept.filter(o -> o instanceof CheckedFold.InputCounts).collect()
          .forEach(c -> sum.merge((CheckedFold.InputCounts) c));
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    counts[0] = sum;
    return out;
  }

  @Override
  public JointCounts total() {
    if (total == null) {
      total = UtteranceRuns.total(records);
    }
    return total;
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
  public Map<String, long[]> nullsAtLeastObserved(String key, long seed, int draws) {
    return NullReplicates.atLeastObserved(records, key, seed, draws,
        StatsNulls.UTTERANCES_PER_BUCKET);
  }

  @Override
  public void close() {
    kept.unpersist(false);
  }
}
