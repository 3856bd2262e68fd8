package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** Frames as runs of one frame each ({@code start} = frame, {@code len} = 1). */
  private static Dataset<Row> unitRuns(Dataset<Row> frames) {
    return frames.withColumn("start", col("frame")).withColumn("len", lit(1L));
  }

  /**
   * The three frame-aligned nulls joined frame by frame (what the job did before it joined
   * runs): every frame of an utterance with the same frame of its partner, counted in memory.
   */
  private static Map<NullPairing, JointCounts> frameByFrame(Dataset<Row> frames,
      long utterances, long seed, long perBucket) {
    Dataset<Row> own = frames.join(StatsNulls.partners(frames, utterances, seed, perBucket),
        "utterance_id").select(col("partner"), col("frame"), col("audio_unit").as("a"),
        col("visual_unit").as("v"), col("text_unit").as("t"));
    Dataset<Row> other = frames.select(col("utterance_id").as("partner"), col("frame"),
        col("audio_unit").as("a2"), col("visual_unit").as("v2"), col("text_unit").as("t2"));
    Map<NullPairing, JointCounts> out = new HashMap<>();
    for (NullPairing p : List.of(NullPairing.AUDIO_SHUFFLED, NullPairing.VISUAL_SHUFFLED,
        NullPairing.TEXT_SHUFFLED)) {
      out.put(p, new JointCounts());
    }
    for (Row r : own.join(other, new String[] {"partner", "frame"}).collectAsList()) {
      int a = r.getAs("a");
      int v = r.getAs("v");
      int t = r.getAs("t");
      int v2 = r.getAs("v2");
      int t2 = r.getAs("t2");
      out.get(NullPairing.AUDIO_SHUFFLED).add(a, v2, t2, 1);
      out.get(NullPairing.VISUAL_SHUFFLED).add(a, v2, t, 1);
      out.get(NullPairing.TEXT_SHUFFLED).add(a, v, t2, 1);
    }
    return out;
  }

  /**
   * The nulls joined run by run (overlaps of an utterance's runs with its partner's) equal the
   * frame-by-frame join of the de-duplicated frames, on frames whose units last a few frames,
   * with gaps and repeated frames, over several buckets.
   */
  @Test
  void runNullsEqualTheFrameByFrameJoin() {
    Dataset<Row> frames = heldFrames(150, 6);
    Dataset<Row> unique = frames.withColumn("_n", row_number().over(Window.partitionBy(
        "utterance_id", "frame").orderBy("audio_unit", "visual_unit", "text_unit")))
        .filter(col("_n").equalTo(1)).drop("_n");
    long n = unique.select("utterance_id").distinct().count();
    Map<NullPairing, JointCounts> expected = frameByFrame(unique, n, 13, 40);
    Map<NullPairing, JointCounts> actual = StatsNulls.shuffledTables(StatsJob.runs(frames), n,
        13, 40);
    assertEquals(3, actual.size());
    for (NullPairing p : expected.keySet()) {
      assertTrue(expected.get(p).frames() > 1000, p + " " + expected.get(p).frames());
      assertEquals(cells(expected.get(p)), cells(actual.get(p)), p.toString());
    }
  }

  private static Map<List<Object>, Long> cells(JointCounts table) {
    Map<List<Object>, Long> out = new HashMap<>();
    table.forEach((a, v, t, c) -> out.put(List.of(a, v, t), c));
    return out;
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
    JointCounts now = StatsNulls.shuffledTables(unitRuns(frames), 300, 42,
        StatsNulls.UTTERANCES_PER_BUCKET).get(NullPairing.AUDIO_SHUFFLED);
    JointCounts before = new JointCounts();
    for (Row row : previousShuffled(frames, 42).groupBy("audio_unit", "visual_unit", "text_unit")
        .count().collectAsList()) {
      before.add(row.getInt(0), row.getInt(1), row.getInt(2), row.getLong(3));
    }
    assertEquals(cells(before), cells(now));
  }

  /**
   * Utterance k's frames all carry units (k, k, k): a null that paired an utterance with itself
   * would show a cell whose shuffled modality equals the others. Three utterances hashed into
   * three buckets of one (singletons, empty buckets) and 2 and 9 utterances into buckets of
   * two, under 3 seeds each: every utterance is paired once each way and never with itself.
   */
  @Test
  void noUtteranceIsPairedWithItself() {
    int singletons = 0;
    for (int n : new int[] {2, 3, 9}) {
      List<Row> rows = new ArrayList<>();
      for (int u = 0; u < n; u++) {
        for (int f = 0; f < 4; f++) {
          rows.add(RowFactory.create("utt-" + u, f, u, u, u));
        }
      }
      Dataset<Row> frames = spark.createDataFrame(rows, new StructType()
          .add("utterance_id", DataTypes.StringType).add("frame", DataTypes.IntegerType)
          .add("audio_unit", DataTypes.IntegerType).add("visual_unit", DataTypes.IntegerType)
          .add("text_unit", DataTypes.IntegerType)).cache();
      long perBucket = n == 3 ? 1 : 2;
      long buckets = (n + perBucket - 1) / perBucket;
      for (long seed = 0; seed < 3; seed++) {
        singletons += frames.select("utterance_id").distinct().groupBy(pmod(xxhash64(lit(seed),
            lit("bucket"), col("utterance_id")), lit(buckets))).count().filter("count = 1")
            .count();
        List<Row> pairs = StatsNulls.partners(frames, n, seed, perBucket).collectAsList();
        assertEquals(n, pairs.size());
        assertEquals(n, pairs.stream().map(r -> r.getString(1)).distinct().count(),
            "a bijection");
        for (Row r : pairs) {
          assertNotEquals(r.getString(0), r.getString(1), "seed " + seed + " n " + n);
        }
        long frameCount = 4L * n;
        long s = seed;
        if (seed > 0) {
          continue;
        }
        StatsNulls.shuffledTables(unitRuns(frames), n, seed, perBucket).forEach((pairing,
            table) -> {
          assertEquals(frameCount, table.frames());
          table.forEach((a, v, t, c) -> {
            // Audio keeps the utterance's own unit in every pairing; the partner's shows in V
            // (audio, visual shuffled) or T (text shuffled).
            int partner = pairing == NullPairing.TEXT_SHUFFLED ? t : v;
            assertNotEquals(a, partner, pairing + " seed " + s);
          });
        });
      }
      frames.unpersist();
    }
    assertTrue(singletons > 1, "the hash left singleton buckets to merge: " + singletons);
  }

  /**
   * The jackknife as the job runs it (per-utterance tables counted in Spark, streamed per
   * partition, partial sums merged) equals the in-memory one over the same utterances, bit for
   * bit.
   */
  @Test
  void sparkJackknifeEqualsTheInMemoryOne() {
    SplittableRandom r = new SplittableRandom(9);
    List<Row> rows = new ArrayList<>();
    List<JointCounts> tables = new ArrayList<>();
    JointCounts total = new JointCounts();
    for (int u = 0; u < 120; u++) {
      JointCounts table = new JointCounts();
      int length = 5 + r.nextInt(30);
      int[][] units = new int[3][length];
      for (int f = 0; f < length; f++) {
        units[0][f] = r.nextInt(6);
        units[1][f] = (units[0][f] + r.nextInt(2)) % 4;
        units[2][f] = r.nextInt(3);
        rows.add(RowFactory.create("u" + u, f, units[0][f], units[1][f], units[2][f]));
        table.add(units[0][f], units[1][f], units[2][f], 1);
      }
      tables.add(table);
      table.forEach(total::add);
    }
    Dataset<Row> frames = spark.createDataFrame(rows, new StructType()
        .add("utterance_id", DataTypes.StringType).add("frame", DataTypes.IntegerType)
        .add("audio_unit", DataTypes.IntegerType).add("visual_unit", DataTypes.IntegerType)
        .add("text_unit", DataTypes.IntegerType));
    Jackknife expected = new Jackknife(total);
    tables.forEach(t -> {
      t.forEach(expected::add);
      expected.leave();
    });
    Dataset<Row> perUtterance = frames.repartition(3, col("utterance_id"))
        .groupBy(col("utterance_id"), col("audio_unit"), col("visual_unit"), col("text_unit"))
        .agg(count(lit(1)).as("k"));
    Jackknife actual = UtteranceResampling.jackknife(perUtterance, total);
    assertEquals(120, actual.utterances());
    for (int q = 0; q < 15; q++) {
      assertEquals(expected.estimate(q), actual.estimate(q), 0, "estimate " + q);
      assertEquals(expected.standardError(q), actual.standardError(q), 0, "error " + q);
    }
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
    EntropyProfile[] derived = StatsJob.joint(frames.groupBy("audio_unit", "visual_unit",
        "text_unit").count().collectAsList(), 0).profiles();

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

  private static final StructType FRAMES = new StructType()
      .add("utterance_id", DataTypes.StringType).add("frame", DataTypes.IntegerType)
      .add("speaker_id", DataTypes.StringType).add("data_source", DataTypes.StringType)
      .add("audio_unit", DataTypes.IntegerType).add("visual_unit", DataTypes.IntegerType)
      .add("text_unit", DataTypes.IntegerType);

  /** Frames whose units last a few frames, with repeated frames and gaps. */
  private static Dataset<Row> heldFrames(int utterances, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < utterances; u++) {
      int[] units = {0, 0, 0};
      for (int f = 0; f < 10 + r.nextInt(30); f++) {
        if (f == 0 || r.nextInt(3) == 0) {
          units = new int[] {r.nextInt(5), r.nextInt(3), r.nextInt(4)};
          units[1] = r.nextInt(4) == 0 ? units[1] : units[0] % 3;
        }
        if (r.nextInt(15) == 0) {
          continue;
        }
        String speaker = u % 7 == 0 ? null : "s" + (u % 3);
        rows.add(RowFactory.create("u" + u, f, speaker, "d", units[0], units[1], units[2]));
        if (r.nextInt(20) == 0) {
          rows.add(RowFactory.create("u" + u, f, speaker, "d", units[0] + 1, units[1], 0));
        }
      }
    }
    return spark.createDataFrame(rows, FRAMES);
  }

  /**
   * The per-utterance tables counted from runs equal those counted frame by frame after the
   * de-duplication the job did before (a window per (utterance, frame), first row by units),
   * and a hand-made utterance folds into the expected runs.
   */
  @Test
  void runsCountWhatTheFramesCount() {
    Dataset<Row> frames = heldFrames(200, 3);
    Dataset<Row> unique = frames.withColumn("_n", row_number().over(Window.partitionBy(
        "utterance_id", "frame").orderBy("audio_unit", "visual_unit", "text_unit")))
        .filter(col("_n").equalTo(1));
    String[] key = {"utterance_id", "audio_unit", "visual_unit", "text_unit"};
    List<Row> expected = unique.groupBy(key[0], key[1], key[2], key[3]).count()
        .orderBy(key[0], key[1], key[2], key[3]).collectAsList();
    List<Row> actual = StatsJob.runs(frames).groupBy(key[0], key[1], key[2], key[3])
        .agg(functions.sum("len").as("count")).orderBy(key[0], key[1], key[2], key[3])
        .collectAsList();
    assertEquals(expected, actual);

    List<Row> one = List.of(RowFactory.create("x", 0, "s", null, 1, 1, 1),
        RowFactory.create("x", 1, "s", null, 1, 1, 1), RowFactory.create("x", 1, "s", null, 0, 2,
        2), RowFactory.create("x", 2, "s", null, 1, 1, 1), RowFactory.create("x", 4, "s", null,
        1, 1, 1), RowFactory.create("x", 5, "s", null, 2, 1, 1));
    List<String> runs = new ArrayList<>();
    for (Row r : StatsJob.runs(spark.createDataFrame(one, FRAMES)).orderBy("start")
        .collectAsList()) {
      runs.add(r.getAs("start") + "+" + r.getAs("len") + ":" + r.getAs("audio_unit")
          + r.getAs("visual_unit") + r.getAs("text_unit") + r.getAs("data_source"));
    }
    // Frame 1's second row (0, 2, 2) sorts first and is kept; the gap at 3 ends a run.
    assertEquals(List.of("0+1:111unknown", "1+1:022unknown", "2+1:111unknown",
        "4+1:111unknown", "5+1:211unknown"), runs);
  }

  /**
   * The bootstrap's one aggregation with a column per replicate equals the cross join of the
   * per-utterance tables with the replicates, one weighted joint table per replicate (what the
   * job did before), under the same Poisson weights.
   */
  @Test
  void bootstrapColumnsEqualTheCrossJoin() {
    Dataset<Row> perUtterance = StatsJob.runs(heldFrames(80, 4)).groupBy(col("utterance_id"),
        col("audio_unit"), col("visual_unit"), col("text_unit"))
        .agg(functions.sum("len").as("k"));
    List<JointCounts> columns = UtteranceResampling.bootstrap(perUtterance, 7, 21);
    Map<Long, JointCounts> joined = new HashMap<>();
    for (Row r : perUtterance.withColumn("_h", xxhash64(lit(21L), col("utterance_id")))
        .crossJoin(spark.range(7).select(col("id").cast(DataTypes.IntegerType).as("b")))
        .withColumn("w", SparkHash.poisson(col("_h"), col("b")).multiply(col("k")))
        .groupBy("b", "audio_unit", "visual_unit", "text_unit").agg(functions.sum("w"))
        .collectAsList()) {
      joined.computeIfAbsent((long) r.getInt(0), b -> new JointCounts()).add(r.getInt(1),
          r.getInt(2), r.getInt(3), r.getLong(4));
    }
    assertEquals(7, columns.size());
    for (int b = 0; b < 7; b++) {
      assertEquals(cells(joined.get((long) b)), cells(columns.get(b)), "b " + b);
      assertTrue(columns.get(b).frames() > 0);
    }
  }

  /**
   * The conditional null keeps the (A,T), (V,T) and T tables as they are, moves V only between
   * runs of the same T and length, and removes a planted dependence of A and V given T.
   */
  @Test
  void conditionalNullKeepsTheMarginsAndBreaksTheConditionalDependence() {
    Dataset<Row> frames = heldFrames(300, 5);
    Dataset<Row> runs = StatsJob.runs(frames).cache();
    JointCounts original = new JointCounts();
    for (Row r : runs.groupBy("audio_unit", "visual_unit", "text_unit")
        .agg(functions.sum("len")).collectAsList()) {
      original.add(r.getInt(0), r.getInt(1), r.getInt(2), r.getLong(3));
    }
    JointCounts shuffled = StatsNulls.conditionallyShuffled(runs, 300, 8, 10_000);
    Map<String, Double> before = original.profiles()[0].asMap();
    Map<String, Double> after = shuffled.profiles()[0].asMap();
    assertEquals(original.frames(), shuffled.frames());
    for (String q : List.of("H(A)", "H(V)", "H(T)", "H(A,T)", "H(V,T)")) {
      assertEquals(before.get(q), after.get(q), 1e-12, q);
    }
    assertTrue(before.get("I(A;V|T)") > 0.1, "planted: " + before.get("I(A;V|T)"));
    assertTrue(after.get("I(A;V|T)") < 0.3 * before.get("I(A;V|T)"), "null: " + after);
    assertEquals(cells(shuffled), cells(StatsNulls.conditionallyShuffled(runs, 300, 8, 10_000)), "seeded");
    runs.unpersist();
  }
}
