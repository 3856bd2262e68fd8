package org.parallax.avinfo;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The {@link StatsCounting} for CPUs: each input partition folds its frames into runs in
 * memory and only those cross the network, one cached record per utterance
 * ({@link UtteranceRuns}); the jackknife and the bootstrap stream the records
 * ({@link UtteranceResampling}), the four nulls come from one exchange of the records by
 * derangement bucket ({@link BucketNulls}). No frame is exchanged or sorted.
 */
final class RecordCounting implements StatsCounting {
  private final Dataset<Row> records;

  RecordCounting(Dataset<Row> frames) {
    this.records = UtteranceRuns.records(frames).cache();
  }

  @Override
  public Dataset<Row> runs() {
    return UtteranceRuns.runs(records);
  }

  @Override
  public Jackknife jackknife(JointCounts total) {
    return UtteranceResampling.jackknife(UtteranceRuns.stream(records), total);
  }

  @Override
  public Map<NullPairing, JointCounts> nulls(long utterances, long seed) {
    return BucketNulls.tables(records, utterances, seed, StatsNulls.UTTERANCES_PER_BUCKET);
  }

  @Override
  public List<long[]> bootstrap(int replicates, long seed, DenseCells cells) {
    return UtteranceResampling.bootstrap(UtteranceRuns.stream(records), replicates, seed, cells);
  }

  @Override
  public Dataset<Row> profiles(Dataset<Row> joint, String key, double base) {
    return GroupProfiles.inMemory(joint, key, base);
  }

  @Override
  public void close() {
    records.unpersist();
  }
}
