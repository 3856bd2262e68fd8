package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seven tables derived in memory from one joint count ({@link JointCounts}, what
 * {@code avinfo stats} does now) equal the seven tables aggregated in Spark SQL over grouping
 * sets ({@link EntropySql}, what it did before), plug-in and Miller-Madow, to 1e-12.
 */
class JointCountsTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("joint-counts-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * The null as {@code avinfo stats} built it before (three joins of the frames): the reference
   * the broadcast formulation must reproduce. The audio of each utterance paired, frame by
   * frame, with another utterance's V and T.
   * Utterances are hashed into buckets of about 10,000, ordered by a seeded hash within their
   * bucket, and each takes the visual and text units of the one before it (cyclically): a
   * seeded derangement built with partitioned windows only, so it scales with the executors.
   */
  static Dataset<Row> previousShuffled(Dataset<Row> frames, long seed) {
    Dataset<Row> utterances = frames.select("utterance_id").distinct();
    long buckets = Math.max(1, (utterances.count() + 9_999) / 10_000);
    Dataset<Row> order = utterances
        .withColumn("bucket", pmod(xxhash64(lit(seed), lit("bucket"), col("utterance_id")),
            lit(buckets)))
        .withColumn("i", row_number().over(Window.partitionBy("bucket").orderBy(
            xxhash64(lit(seed), col("utterance_id")), col("utterance_id"))).minus(1))
        .withColumn("size", count(lit(1)).over(Window.partitionBy("bucket")));
    Dataset<Row> audio = frames.join(order, "utterance_id")
        .select(col("bucket"), col("i"), col("frame"), col("audio_unit"), col("utterance_id"));
    Dataset<Row> partner = frames.join(order, "utterance_id")
        .select(col("bucket"), pmod(col("i").minus(1), col("size")).as("i"), col("frame"),
            col("visual_unit"), col("text_unit"));
    return audio.join(partner, new String[] {"bucket", "i", "frame"});
  }

  @Test
  void theNullPairsTheSameFramesAsThePreviousFormulation() {
    SplittableRandom r = new SplittableRandom(5);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 300; u++) {
      int length = 5 + r.nextInt(40);
      for (int f = 0; f < length; f++) {
        rows.add(RowFactory.create(String.format("utt-%03d", u), f, r.nextInt(7), r.nextInt(4),
            r.nextInt(5)));
      }
    }
    Dataset<Row> frames = spark.createDataFrame(rows, new StructType()
        .add("utterance_id", DataTypes.StringType).add("frame", DataTypes.IntegerType)
        .add("audio_unit", DataTypes.IntegerType).add("visual_unit", DataTypes.IntegerType)
        .add("text_unit", DataTypes.IntegerType));
    Dataset<Row> now = StatsJob.shuffled(frames, 42).groupBy("audio_unit", "visual_unit",
        "text_unit").count().orderBy("audio_unit", "visual_unit", "text_unit");
    Dataset<Row> before = previousShuffled(frames, 42).groupBy("audio_unit", "visual_unit",
        "text_unit").count().orderBy("audio_unit", "visual_unit", "text_unit");
    assertEquals(before.collectAsList(), now.collectAsList());
  }

  @Test
  void derivedTablesEqualTheGroupingSetsAggregation() {
    SplittableRandom r = new SplittableRandom(11);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      int a = r.nextInt(9);
      int v = (a + r.nextInt(3)) % 5;
      // Skewed and sparse: some (a, v, t) cells never occur.
      int t = r.nextInt(4) == 0 ? r.nextInt(12) : (a * 7 + v) % 12;
      rows.add(RowFactory.create(a, v, t));
    }
    Dataset<Row> frames = spark.createDataFrame(rows, new StructType()
        .add("audio_unit", DataTypes.IntegerType).add("visual_unit", DataTypes.IntegerType)
        .add("text_unit", DataTypes.IntegerType));
    EntropyProfile[] derived = StatsJob.estimate(frames);

    List<String> units = List.of("audio_unit", "visual_unit", "text_unit");
    List<List<String>> subsets = new ArrayList<>();
    for (int mask = 1; mask < 8; mask++) {
      List<String> s = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if ((mask & (1 << i)) != 0) {
          s.add(units.get(i));
        }
      }
      subsets.add(s);
    }
    Map<String, double[]> h = new HashMap<>();
    for (Row row : EntropySql.tables(frames.withColumn("w", functions.lit(1L)), List.of(), units,
        subsets).collectAsList()) {
      double n = row.getLong(1);
      h.put(row.getString(0), new double[] {EntropySql.plugIn(n, row.getDouble(2)),
          EntropySql.millerMadow(n, row.getDouble(2), row.getLong(3))});
    }
    for (int w = 0; w < 2; w++) {
      EntropyProfile sql = new EntropyProfile(h.get("audio_unit")[w], h.get("visual_unit")[w],
          h.get("text_unit")[w], h.get("audio_unit,visual_unit")[w],
          h.get("audio_unit,text_unit")[w], h.get("visual_unit,text_unit")[w],
          h.get("audio_unit,visual_unit,text_unit")[w]);
      Map<String, Double> expected = sql.asMap();
      Map<String, Double> actual = derived[w].asMap();
      for (String q : expected.keySet()) {
        assertEquals(expected.get(q), actual.get(q), 1e-12, q + (w == 0 ? " plug-in" : " MM"));
      }
    }
  }
}
