package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.EnumMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;

/**
 * The shuffled tables of {@link NullPairing} by relational operators (the GPU path, {@link
 * SqlCounting}): the frame-aligned nulls from one join of every utterance's runs with its
 * partner's, the conditional null by a window. On CPUs {@link BucketNulls} counts the same tables.
 */
final class StatsNulls {
  /** Utterances per bucket of the shuffled null's derangement. */
  static final long UTTERANCES_PER_BUCKET = 10_000;

  private StatsNulls() {}

  /**
   * The conditionally shuffled table of {@link NullPairing#VISUAL_SHUFFLED_WITHIN_TEXT} from
   * {@link StatsJob#runs}: the runs of one (bucket of {@link #partners}, T, length) stratum,
   * ordered by {@link SparkHash#run} then utterance and start, each take the V of the next, the
   * last the first's (a run alone in its stratum keeps its V), and each run's frames are
   * counted at (its A, the taken V, its T), as {@link BucketNulls} counts them.
   */
  static JointCounts conditionallyShuffled(Dataset<Row> runs, long utterances, long seed,
      long perBucket) {
    Dataset<Row> bucketed = runs.join(partners(runs, utterances, seed, perBucket)
        .select("utterance_id", "bucket"), "utterance_id");
    WindowSpec stratum = Window.partitionBy(col("bucket"), col(StatsJob.UNITS[2]), col("len"))
        .orderBy(SparkHash.run(seed), col("utterance_id"), col("start"));
    Column taken = functions.coalesce(functions.lead(col(StatsJob.UNITS[1]), 1).over(stratum),
        functions.first(col(StatsJob.UNITS[1])).over(stratum.rowsBetween(
            Window.unboundedPreceding(), Window.currentRow())));
    JointCounts out = new JointCounts();
    for (Row r : bucketed.select(col(StatsJob.UNITS[0]), taken.as("v"), col(StatsJob.UNITS[2]),
        col("len")).groupBy(col(StatsJob.UNITS[0]), col("v"), col(StatsJob.UNITS[2]))
        .agg(sum("len")).collectAsList()) {
      out.add(r.getInt(0), r.getInt(1), r.getInt(2), r.getLong(3));
    }
    return out;
  }

  /**
   * The three frame-aligned tables from one join of runs ({@link StatsJob#runs}) with the partner's
   * runs ({@link #partners}) that overlap them, each pair counting the frames they share; the
   * joined unit pairs are counted first, then split into one row per pairing. Frames the partner
   * lacks drop out.
   */
  static Map<NullPairing, JointCounts> shuffledTables(Dataset<Row> runs, long utterances,
      long seed, long perBucket) {
    String[] u = StatsJob.UNITS;
    Column end = col("start").plus(col("len"));
    Dataset<Row> own = runs.select(col("utterance_id"), col("start").as("s1"), end.as("e1"),
        col(u[0]).as("a"), col(u[1]).as("v"), col(u[2]).as("t"))
        .join(functions.broadcast(partners(runs, utterances, seed, perBucket)), "utterance_id")
        .drop("utterance_id").withColumnRenamed("partner", "pu");
    Dataset<Row> other = runs.select(col("utterance_id").as("ou"), col("start").as("s2"),
        end.as("e2"), col(u[0]).as("a2"), col(u[1]).as("v2"), col(u[2]).as("t2"));
    Dataset<Row> joined = own.join(other, col("pu").equalTo(col("ou"))
            .and(col("s1").lt(col("e2"))).and(col("s2").lt(col("e1"))))
        .withColumn("w", functions.least(col("e1"), col("e2"))
            .minus(functions.greatest(col("s1"), col("s2"))));
    Column rows = functions.array(
        functions.struct(lit(NullPairing.AUDIO_SHUFFLED.ordinal()).as("p"), col("a").as("a"),
            col("v2").as("v"), col("t2").as("t")),
        functions.struct(lit(NullPairing.VISUAL_SHUFFLED.ordinal()).as("p"), col("a").as("a"),
            col("v2").as("v"), col("t").as("t")),
        functions.struct(lit(NullPairing.TEXT_SHUFFLED.ordinal()).as("p"), col("a").as("a"),
            col("v").as("v"), col("t2").as("t")));
    Map<NullPairing, JointCounts> out = new EnumMap<>(NullPairing.class);
    for (NullPairing p : NullPairing.values()) {
      if (p.acrossUtterances()) {
        out.put(p, new JointCounts());
      }
    }
    // Count the joined (own, partner) unit pairs first, then split each count into the three
    // pairings: the explode runs over distinct pairs, not frames.
    for (Row r : joined.groupBy("a", "v", "t", "a2", "v2", "t2").agg(sum("w").as("count"))
        .select(functions.explode(rows).as("x"), col("count"))
        .groupBy(col("x.p"), col("x.a"), col("x.v"), col("x.t")).agg(sum("count"))
        .collectAsList()) {
      out.get(NullPairing.values()[r.getInt(0)]).add(r.getInt(1), r.getInt(2), r.getInt(3),
          r.getLong(4));
    }
    return out;
  }

  /**
   * A seeded derangement of the utterances ({@code utterance_id, partner, bucket}): utterances
   * hashed into buckets of about {@code perBucket} ({@link SparkHash#bucket}; a bucket of one
   * merged into the first with two or more), ordered by a seeded hash within their bucket, each
   * paired with the one after it (cyclically). Needs at least two utterances.
   */
  static Dataset<Row> partners(Dataset<Row> rows, long utterances, long seed, long perBucket) {
    long buckets = Math.max(1, (utterances + perBucket - 1) / perBucket);
    Dataset<Row> hashed = rows.select("utterance_id").distinct().withColumn("bucket",
        SparkHash.bucket(seed, buckets));
    Dataset<Row> sizes = hashed.groupBy("bucket").agg(count(lit(1)).as("size"));
    Dataset<Row> firstLarge = sizes.agg(functions.min(when(col("size").geq(2), col("bucket")))
        .as("large"));
    Dataset<Row> merged = sizes.crossJoin(firstLarge).select(col("bucket"),
        when(col("size").geq(2), col("bucket"))
            .otherwise(functions.coalesce(col("large"), lit(0L))).as("target"));
    Dataset<Row> order = hashed.join(functions.broadcast(merged), "bucket")
        .select(col("utterance_id"), col("target").as("bucket"))
        .withColumn("i", row_number().over(Window.partitionBy("bucket").orderBy(
            SparkHash.utterance(seed), col("utterance_id"))).minus(1))
        .withColumn("size", count(lit(1)).over(Window.partitionBy("bucket")));
    Dataset<Row> next = order.select(col("bucket"), pmod(col("i").minus(1), col("size")).as("i"),
        col("utterance_id").as("partner"));
    return order.join(next, new String[] {"bucket", "i"})
        .select(col("utterance_id"), col("partner"), col("bucket"));
  }

}
