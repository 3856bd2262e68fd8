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
  /** The folded pieces of {@link #ofChecked}, kept until the records are built from them. */
  private JavaRDD<Object> pieces;
  private JointCounts total;

  RecordCounting(Dataset<Row> frames) {
    this.spark = frames.sparkSession();
    this.records = UtteranceRuns.fromFrames(frames).persist(StorageLevel.MEMORY_AND_DISK());
  }

  private RecordCounting(SparkSession spark, JavaRDD<UtteranceRuns.Runs> records,
      JavaRDD<Object> pieces) {
    this.spark = spark;
    this.records = records.persist(StorageLevel.MEMORY_AND_DISK());
    this.pieces = pieces;
  }

  /**
   * Over a checked input ({@link UtteranceRuns#foldChecked}: the frames' columns and
   * {@code bad}), reading it once: the pass that folds the valid frames into pieces (kept until
   * the records are merged from them) also counts the input, into {@code counts[0]}.
   */
  static RecordCounting ofChecked(Dataset<Row> checked, UtteranceRuns.InputCounts[] counts) {
    JavaRDD<Object> both = UtteranceRuns.foldChecked(checked)
        .persist(StorageLevel.MEMORY_AND_DISK());
    UtteranceRuns.InputCounts sum = new UtteranceRuns.InputCounts();
    both.filter(o -> o instanceof UtteranceRuns.InputCounts).collect()
        .forEach(c -> sum.merge((UtteranceRuns.InputCounts) c));
    counts[0] = sum;
    JavaRDD<UtteranceRuns.Runs> pieces = both.filter(o -> o instanceof UtteranceRuns.Runs)
        .map(o -> (UtteranceRuns.Runs) o);
    return new RecordCounting(checked.sparkSession(), UtteranceRuns.merged(pieces,
        UtteranceRuns.partitions(checked.sparkSession())), both);
  }

  @Override
  public JointCounts total() {
    if (total == null) {
      total = UtteranceRuns.total(records);
      release();
    }
    return total;
  }

  /** The pieces, once the records (built from them by the first pass over the records) are. */
  private void release() {
    if (pieces != null) {
      pieces.unpersist(false);
      pieces = null;
    }
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
    release();
    records.unpersist(false);
  }
}
