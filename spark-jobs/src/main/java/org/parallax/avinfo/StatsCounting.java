package org.parallax.avinfo;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.gpu.RapidsSql;

/**
 * How {@code avinfo stats} counts its tables from the valid frames: {@link RecordCounting} (in
 * memory per partition, on CPUs) or {@link SqlCounting} (relational, for RAPIDS), giving the same
 * tables. The session picks: SQL when RAPIDS plans it; {@link #CONF} forces {@code records} or
 * {@code sql}. Holds cached data until closed.
 */
interface StatsCounting extends AutoCloseable {
  /** The Spark configuration key that forces one formulation. */
  String CONF = "spark.parallax.avinfo.counting";

  /** The whole joint table of the valid frames (a frame given more than once counted once). */
  JointCounts total();

  /** The delete-one-utterance jackknife over the whole table {@code total}. */
  Jackknife jackknife(JointCounts total);

  /** The four shuffled tables of {@link NullPairing} over {@code utterances} (at least 2). */
  Map<NullPairing, JointCounts> nulls(long utterances, long seed);

  /** The joint tables of {@code replicates} Poisson(1) bootstrap replicates. */
  List<JointCounts> bootstrap(int replicates, long seed);

  /**
   * The rows of {@link GroupProfiles} per value of {@code key} ({@code speaker_id} or {@code
   * data_source}).
   */
  Dataset<Row> profiles(String key, double base);

  /** The counts of {@link NullReplicates#atLeastObserved}. */
  Map<String, long[]> nullsAtLeastObserved(String key, long seed, int draws);

  @Override
  void close();

  /** The formulation for {@code spark} over valid frames (no missing unit). */
  static StatsCounting of(SparkSession spark, Dataset<Row> frames) {
    return records(spark) ? new RecordCounting(frames) : new SqlCounting(frames);
  }

  /** Whether {@code spark} counts with {@link RecordCounting} (else {@link SqlCounting}). */
  static boolean records(SparkSession spark) {
    String forced = spark.conf().get(CONF, "auto");
    switch (forced) {
      case "records":
        return true;
      case "sql":
        return false;
      case "auto":
        return !RapidsSql.active(spark);
      default:
        throw new IllegalArgumentException(CONF + " must be records, sql or auto, got '"
            + forced + "'");
    }
  }
}
