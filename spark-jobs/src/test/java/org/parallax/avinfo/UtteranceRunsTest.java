package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The per-utterance run records folded within input partitions ({@link UtteranceRuns}) equal
 * the runs of the window over every frame exchanged by utterance ({@link StatsJob#runs}, what
 * the job did before), whether utterances arrive whole or split across partitions, with
 * repeated frames, unsorted rows, gaps, a speaker change and missing speakers and sources; the
 * jackknife and the bootstrap streamed over the records equal the in-memory jackknife and the
 * SQL bootstrap over the per-utterance tables of those runs.
 */
class UtteranceRunsTest {
  private static SparkSession spark;

  private static final StructType FRAMES = new StructType()
      .add("utterance_id", DataTypes.StringType).add("frame", DataTypes.IntegerType)
      .add("speaker_id", DataTypes.StringType).add("data_source", DataTypes.StringType)
      .add("audio_unit", DataTypes.IntegerType).add("visual_unit", DataTypes.IntegerType)
      .add("text_unit", DataTypes.IntegerType);

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("utterance-runs-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Utterances whose units last a few frames, with gaps, repeated frames (other units), rows
   * of some utterances shuffled, a speaker change inside some, missing speakers and sources.
   */
  private static List<Row> frames(int utterances, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < utterances; u++) {
      List<Row> own = new ArrayList<>();
      int[] units = {0, 0, 0};
      int length = 5 + r.nextInt(40);
      for (int f = 0; f < length; f++) {
        if (f == 0 || r.nextInt(3) == 0) {
          units = new int[] {r.nextInt(5), r.nextInt(3), r.nextInt(4)};
        }
        if (r.nextInt(12) == 0) {
          continue;
        }
        String speaker = u % 7 == 0 ? null : u % 5 == 0 && f > length / 2 ? "late" : "s" + u % 3;
        String source = u % 4 == 0 ? null : "d" + u % 2;
        own.add(RowFactory.create("u" + u, f, speaker, source, units[0], units[1], units[2]));
        if (r.nextInt(10) == 0) {
          own.add(RowFactory.create("u" + u, f, speaker, source, units[0] + 1, units[1], 0));
        }
      }
      if (u % 3 == 0) {
        Collections.shuffle(own, new java.util.Random(seed + u));
      }
      rows.addAll(own);
    }
    return rows;
  }

  private static List<String> sorted(Dataset<Row> runs) {
    List<String> out = new ArrayList<>();
    for (Row r : runs.select("utterance_id", "speaker_id", "data_source", "audio_unit",
        "visual_unit", "text_unit", "start", "len").collectAsList()) {
      out.add(r.mkString("|"));
    }
    Collections.sort(out);
    return out;
  }

  @Test
  void recordsEqualTheWindowRunsWholeOrSplit() {
    List<Row> rows = frames(120, 3);
    // Whole: one partition, utterances contiguous (one piece each).
    Dataset<Row> whole = spark.createDataFrame(rows, FRAMES).coalesce(1);
    List<String> expected = sorted(StatsJob.runs(whole));
    assertTrue(expected.size() > 500, "runs: " + expected.size());
    assertEquals(expected, sorted(RecordRuns.of(whole)));
    // Split: rows dealt round robin into three partitions, every utterance in several pieces.
    Dataset<Row> split = spark.createDataFrame(rows, FRAMES).repartition(3);
    assertEquals(expected, sorted(RecordRuns.of(split)));
    // Two files' worth: the second half of every utterance's rows again, in another partition
    // (repeated frames across pieces keep the same row).
    List<Row> again = new ArrayList<>(rows);
    again.addAll(rows.subList(rows.size() / 2, rows.size()));
    Dataset<Row> twice = spark.createDataFrame(again, FRAMES).repartition(2);
    assertEquals(expected, sorted(RecordRuns.of(twice)));
  }

  @Test
  void handMadeUtteranceFoldsIntoItsRuns() {
    List<Row> one = List.of(RowFactory.create("x", 5, "s", null, 2, 1, 1),
        RowFactory.create("x", 1, "s", null, 1, 1, 1), RowFactory.create("x", 0, "s", null, 1,
        1, 1), RowFactory.create("x", 1, "s", null, 0, 2, 2), RowFactory.create("x", 2, "s",
        null, 1, 1, 1), RowFactory.create("x", 4, "s", null, 1, 1, 1),
        RowFactory.create("x", 3, "t", "d", 1, 1, 1), RowFactory.create("x", 6, "s", null, 2,
        1, 1));
    List<String> runs = new ArrayList<>();
    for (Row r : RecordRuns.of(spark.createDataFrame(one, FRAMES))
        .orderBy("start").collectAsList()) {
      runs.add(r.getAs("start") + "+" + r.getAs("len") + ":" + r.getAs("audio_unit")
          + r.getAs("visual_unit") + r.getAs("text_unit") + r.getAs("speaker_id")
          + r.getAs("data_source"));
    }
    // Frame 1's row (0, 2, 2) sorts first and is kept; frame 3's speaker ends a run.
    assertEquals(List.of("0+1:111sunknown", "1+1:022sunknown", "2+1:111sunknown",
        "3+1:111td", "4+1:111sunknown", "5+2:211sunknown"), runs);
  }

  private static Dataset<Row> perUtterance(Dataset<Row> runs) {
    return runs.groupBy(col("utterance_id"), col("audio_unit"), col("visual_unit"),
        col("text_unit")).agg(functions.sum("len").as("k"));
  }

  private static JointCounts total(Dataset<Row> runs) {
    JointCounts total = new JointCounts();
    for (Row r : runs.groupBy("audio_unit", "visual_unit", "text_unit")
        .agg(functions.sum("len")).collectAsList()) {
      total.add(r.getInt(0), r.getInt(1), r.getInt(2), r.getLong(3));
    }
    return total;
  }

  @Test
  void streamedJackknifeEqualsTheInMemoryOne() {
    Dataset<Row> frames = spark.createDataFrame(frames(150, 7), FRAMES).repartition(3);
    Dataset<Row> runs = StatsJob.runs(frames).cache();
    JointCounts total = total(runs);
    // The per-utterance tables of the window runs streamed through the in-memory jackknife
    // (equal to the SQL one: JointCountsTest).
    Map<String, JointCounts> tables = new HashMap<>();
    for (Row r : perUtterance(runs).collectAsList()) {
      tables.computeIfAbsent(r.getString(0), u -> new JointCounts()).add(r.getInt(1),
          r.getInt(2), r.getInt(3), r.getLong(4));
    }
    Jackknife expected = new Jackknife(total);
    tables.values().forEach(t -> {
      t.forEach(expected::add);
      expected.leave();
    });
    Jackknife actual = UtteranceResampling.jackknife(
        UtteranceRuns.fromFrames(frames), total);
    assertEquals(150, actual.utterances());
    assertEquals(expected.utterances(), actual.utterances());
    for (int q = 0; q < 15; q++) {
      assertEquals(expected.estimate(q), actual.estimate(q), 0, "estimate " + q);
      assertEquals(expected.standardError(q), actual.standardError(q), 0, "error " + q);
    }
    runs.unpersist();
  }

  @Test
  void streamedBootstrapEqualsTheSqlOne() {
    Dataset<Row> frames = spark.createDataFrame(frames(90, 11), FRAMES).repartition(3);
    List<JointCounts> expected = UtteranceResampling.bootstrap(
        perUtterance(StatsJob.runs(frames)), 9, 21);
    List<JointCounts> actual = UtteranceResampling.bootstrap(UtteranceRuns.fromFrames(frames),
        9, 21);
    assertEquals(9, actual.size());
    for (int b = 0; b < 9; b++) {
      Map<List<Object>, Long> want = cells(expected.get(b));
      assertTrue(want.size() > 10);
      assertEquals(want, cells(actual.get(b)), "replicate " + b);
    }
  }

  /**
   * The bucket-local nulls over the records equal the join of runs with the partner's runs
   * (frame-aligned: the same partners, several buckets, singleton buckets merged) and the
   * window over (bucket, T, length) strata (conditional, several buckets and one); the
   * conditional null keeps the T, (A,T) and (V,T) tables.
   */
  @Test
  void bucketNullsEqualTheJoinAndTheWindow() {
    for (int[] c : new int[][] {{140, 25}, {3, 1}}) {
      int n = c[0];
      Dataset<Row> frames = spark.createDataFrame(frames(n, 13 + n), FRAMES).repartition(2);
      Dataset<Row> runs = StatsJob.runs(frames).cache();
      org.apache.spark.api.java.JavaRDD<UtteranceRuns.Runs> records =
          UtteranceRuns.fromFrames(frames).cache();
      for (long seed : new long[] {n}) {
        Map<NullPairing, JointCounts> expected = StatsNulls.shuffledTables(runs, n, seed, c[1]);
        Map<NullPairing, JointCounts> actual = BucketNulls.tables(records, n, seed, c[1]);
        for (NullPairing p : NullPairing.values()) {
          if (p.acrossUtterances()) {
            assertTrue(expected.get(p).frames() > 0);
            assertEquals(cells(expected.get(p)), cells(actual.get(p)), p + " n " + n);
          }
        }
        JointCounts conditional = actual.get(NullPairing.VISUAL_SHUFFLED_WITHIN_TEXT);
        // The relational conditional null of the GPU path, by (bucket, T, length): the same.
        assertEquals(cells(StatsNulls.conditionallyShuffled(runs, n, seed, c[1])),
            cells(conditional), "conditional by bucket, n " + n);
        JointCounts whole = total(runs);
        assertEquals(whole.frames(), conditional.frames());
        Map<String, Double> h = whole.profiles()[0].asMap();
        Map<String, Double> hc = conditional.profiles()[0].asMap();
        for (String q : List.of("H(A)", "H(V)", "H(T)", "H(A,T)", "H(V,T)")) {
          assertEquals(h.get(q), hc.get(q), 1e-12, q);
        }
        assertEquals(cells(StatsNulls.conditionallyShuffled(runs, n, seed, 10_000)),
            cells(BucketNulls.tables(records, n, seed, 10_000).get(
                NullPairing.VISUAL_SHUFFLED_WITHIN_TEXT)), "one bucket, n " + n);
      }
      records.unpersist();
      runs.unpersist();
    }
  }

  /**
   * The permutation tests' null draws: draw 0 of the whole corpus is the report's null
   * ({@link BucketNulls#tables}), and a speaker's draws are those of a corpus of that speaker's
   * frames alone (its utterances paired among themselves); a speaker of one utterance has none.
   */
  @Test
  void nullDrawsAreTheReportsNullAndEachGroupsOwn() {
    List<Row> rows = frames(90, 21);
    for (int f = 0; f < 6; f++) {
      rows.add(RowFactory.create("solo-u", f, "solo", "d0", f % 2, 1, 2));
    }
    Dataset<Row> frames = spark.createDataFrame(rows, FRAMES).repartition(3).cache();
    org.apache.spark.api.java.JavaRDD<UtteranceRuns.Runs> records =
        UtteranceRuns.fromFrames(frames).cache();
    long seed = 5;
    Map<NullPairing, EntropyProfile> nulls = new java.util.EnumMap<>(NullPairing.class);
    BucketNulls.tables(records, records.count(), seed, 25).forEach((p, t) ->
        nulls.put(p, t.profiles()[0]));
    double[] observed;
    try (RecordCounting counting = new RecordCounting(frames)) {
      observed = Significance.observed(counting.total().profiles()[0]);
    }
    long[] expected = new long[observed.length];
    Significance.count(observed, Significance.nulls(nulls), expected);
    assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(
        NullReplicates.atLeastObserved(records, null, seed, 1, 25).get("")));
    int draws = 7;
    Map<String, long[]> bySpeaker = NullReplicates.atLeastObserved(records, "speaker_id", seed,
        draws, 25);
    assertTrue(!bySpeaker.containsKey("solo"), "one utterance, no null");
    Column speaker = functions.coalesce(col("speaker_id"), functions.lit("unknown"));
    List<String> speakers = new ArrayList<>();
    frames.select(speaker).distinct().collectAsList().forEach(r -> speakers.add(r.getString(0)));
    assertEquals(speakers.size() - 1, bySpeaker.size());
    for (String s : speakers) {
      if (!s.equals("solo")) {
        org.apache.spark.api.java.JavaRDD<UtteranceRuns.Runs> own =
            UtteranceRuns.fromFrames(frames.filter(speaker.equalTo(s)));
        assertEquals(java.util.Arrays.toString(NullReplicates.atLeastObserved(own, null, seed,
            draws, 25).get("")), java.util.Arrays.toString(bySpeaker.get(s)), s);
      }
    }
    records.unpersist();
    frames.unpersist();
  }

  private static Map<List<Object>, Long> cells(JointCounts table) {
    Map<List<Object>, Long> out = new HashMap<>();
    table.forEach((a, v, t, c) -> out.put(List.of(a, v, t), c));
    return out;
  }
}
