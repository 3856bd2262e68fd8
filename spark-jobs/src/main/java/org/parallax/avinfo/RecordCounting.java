package org.parallax.avinfo;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * The {@link StatsCounting} for CPUs: each input partition folds its frames into runs and only
 * those cross the network, one record per utterance ({@link UtteranceRuns}); every table streams
 * the records, the nulls from one exchange by bucket ({@link BucketNulls}).
 */
final class RecordCounting implements StatsCounting {
  private final SparkSession spark;
  private final JavaRDD<UtteranceRuns.Runs> records;
  /** What is kept: the records, or with them the input's counts ({@link #ofChecked}). */
  private final JavaRDD<List<Object>> kept;
  private JointCounts total;

  RecordCounting(Dataset<Row> frames) {
    this(frames.sparkSession(), UtteranceRuns.fromFrames(frames).map(r -> (Object) r));
  }

  /** Keeps one list per partition: Spark sizes kept data by walking it, per element. */
  private RecordCounting(SparkSession spark, JavaRDD<Object> objects) {
    this.spark = spark;
    this.kept = objects.mapPartitions(it -> {
      List<Object> all = new java.util.ArrayList<>();
      it.forEachRemaining(all::add);
      return List.of(all).iterator();
    }).persist(StorageLevel.MEMORY_AND_DISK());
    this.records = kept.flatMap(all -> all.stream().filter(UtteranceRuns.Runs.class::isInstance)
        .map(UtteranceRuns.Runs.class::cast).iterator());
  }

  /**
   * Over a checked input ({@link CheckedFold#fold}), read once: the input's counts travel with the
   * pieces and are returned in {@code counts[0]}.
   */
  static RecordCounting ofChecked(Dataset<Row> checked, CheckedFold.InputCounts[] counts) {
    SparkSession spark = checked.sparkSession();
    RecordCounting out = new RecordCounting(spark, PieceExchange.merged(
        CheckedFold.fold(checked), UtteranceRuns.partitions(spark)));
    try {
      counts[0] = out.sums();
    } catch (RuntimeException e) {
      out.close();
      throw e;
    }
    return out;
  }

  /**
   * In the pass that keeps the records: the whole joint table (each partition sums its runs'
   * frames by cell, the driver the partitions' few hundred cells) and the input's counts.
   */
  private CheckedFold.InputCounts sums() {
    List<Tuple2<CheckedFold.InputCounts, long[]>> parts = kept.map(all -> {
      CheckedFold.InputCounts c = new CheckedFold.InputCounts();
      CellCounts cells = new CellCounts();
      for (Object o : all) {
        if (o instanceof UtteranceRuns.Runs r) {
          r.addTo(cells, -1);
        } else {
          c.merge((CheckedFold.InputCounts) o);
        }
      }
      return new Tuple2<>(c, cells.packed());
    }).collect();
    CheckedFold.InputCounts sum = new CheckedFold.InputCounts();
    parts.forEach(p -> sum.merge(p._1()));
    total = JointCounts.of(parts.stream().map(Tuple2::_2).reduce(new long[0],
        NullReplicates::concat));
    return sum;
  }

  @Override
  public JointCounts total() {
    if (total == null) {
      sums();
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
  public List<JointCounts> bootstrap(int replicates, long seed) {
    return UtteranceResampling.bootstrap(records, replicates, seed);
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
