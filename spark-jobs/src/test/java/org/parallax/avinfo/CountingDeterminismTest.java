package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both counting paths ({@link RecordCounting} as the job runs it on CPUs, over the checked
 * input; {@link SqlCounting}) give the same runs, groups and reports on any input: a frame given
 * more than once keeps its least row by (frame, audio, visual, text, speaker, source), strings
 * in Spark's binary order, whatever the rows' order and partitioning; a speaker or source
 * exists only where a kept frame has it. The runs are checked against a plain model written
 * here.
 */
class CountingDeterminismTest {
  private static SparkSession spark;
  private static final StructType FRAMES = new StructType()
      .add("utterance_id", DataTypes.StringType).add("frame", DataTypes.IntegerType)
      .add("speaker_id", DataTypes.StringType).add("data_source", DataTypes.StringType)
      .add("audio_unit", DataTypes.IntegerType).add("visual_unit", DataTypes.IntegerType)
      .add("text_unit", DataTypes.IntegerType).add("part", DataTypes.IntegerType);
  /** U+FF21 sorts before U+1F600 in Spark (UTF-8 bytes), after it in UTF-16 code units. */
  private static final String[] SPEAKERS = {"alice", "bob", null, "unknown", "\uFF21",
    "\uD83D\uDE00"};
  private static final String[] SOURCES = {"w", "x", null};

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("counting-determinism-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "3")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Row row(String u, int f, String speaker, String source, Integer a, int v,
      int t, int part) {
    return RowFactory.create(u, f, speaker, source, a, v, t, part);
  }

  /** The rows in {@code partitions} partitions by their {@code part}, in the given order. */
  private static Dataset<Row> frames(List<Row> rows, int partitions) {
    return spark.createDataFrame(rows, FRAMES).repartition(partitions, col("part"));
  }

  /** The valid frames as the job hands them to each path. */
  private static StatsCounting counting(Dataset<Row> frames, boolean records) {
    if (records) {
      CheckedFold.InputCounts[] c = new CheckedFold.InputCounts[1];
      return RecordCounting.ofChecked(frames.withColumn("bad", lit(false)), c);
    }
    return new SqlCounting(frames.filter(col("audio_unit").isNotNull()
        .and(col("visual_unit").isNotNull()).and(col("text_unit").isNotNull())));
  }

  /** {@code key | measure -> frames, plug-in, Miller-Madow} of a path's group profiles. */
  private static Map<String, double[]> profiles(StatsCounting c, String key) {
    Map<String, double[]> out = new TreeMap<>();
    for (Row r : c.profiles(key, 2).collectAsList()) {
      out.put(r.getString(0) + "|" + r.getString(2), new double[] {r.getLong(1),
        r.getDouble(3), r.getDouble(4)});
    }
    return out;
  }

  private static TreeSet<String> groups(StatsCounting c, String key) {
    TreeSet<String> out = new TreeSet<>();
    profiles(c, key).keySet().forEach(k -> out.add(k.substring(0, k.indexOf('|'))));
    return out;
  }

  /**
   * Frame 5 given twice, by bob with A = 1 and by alice with A = 0: alice's row is kept, and
   * bob, who has no kept frame, is no speaker, in either path and either row order.
   */
  @Test
  void aDroppedDuplicateLeavesNoGroup() {
    for (boolean records : new boolean[] {true, false}) {
      for (int partitions : new int[] {1, 2}) {
        List<Row> rows = new ArrayList<>(List.of(row("u", 4, "alice", "w", 0, 1, 1, 0),
            row("u", 5, "bob", "x", 1, 1, 1, 1), row("u", 5, "alice", "w", 0, 1, 1, 0)));
        try (StatsCounting c = counting(frames(rows, partitions), records)) {
          String where = (records ? "records" : "sql") + ", " + partitions + " partitions";
          assertEquals(new TreeSet<>(List.of("alice")), groups(c, "speaker_id"), where);
          assertEquals(new TreeSet<>(List.of("w")), groups(c, "data_source"), where);
          assertEquals(2, c.total().frames(), where);
        }
      }
    }
  }

  /**
   * Duplicates with equal units keep the least speaker, then the least source, in Spark's
   * binary string order, whichever row comes first: one utterance per case and row order, in
   * one partition (rows in the order given), in both paths' runs.
   */
  @Test
  void duplicatesWithEqualUnitsKeepTheLeastSpeakerThenSource() {
    String[][] cases = {{"bob", "w", "alice", "x", "alice|x"}, {"s", "x", "s", "w", "s|w"},
      {"\uD83D\uDE00", "w", "\uFF21", "w", "\uFF21|w"}};
    List<Row> rows = new ArrayList<>();
    Map<String, String> expected = new TreeMap<>();
    for (int i = 0; i < cases.length; i++) {
      String[] k = cases[i];
      for (int swap = 0; swap < 2; swap++) {
        String u = "u" + i + "-" + swap;
        Row first = row(u, 5, k[swap * 2], k[swap * 2 + 1], 2, 2, 2, 0);
        Row second = row(u, 5, k[2 - swap * 2], k[3 - swap * 2], 2, 2, 2, 0);
        rows.add(first);
        rows.add(second);
        expected.put(u, k[4]);
      }
    }
    Dataset<Row> frames = frames(rows, 1).drop("part");
    Map<String, String> sql = new TreeMap<>();
    for (Row r : StatsJob.runs(frames).collectAsList()) {
      sql.put(r.getString(0), r.getAs("speaker_id") + "|" + r.getAs("data_source"));
    }
    assertEquals(expected, sql, "sql");
    Map<String, String> records = new TreeMap<>();
    for (UtteranceRuns.Runs r : UtteranceRuns.fromFrames(frames).collect()) {
      assertEquals(1, r.speakers.length, r.id + " groups");
      records.put(r.id, r.speakers[0] + "|" + r.sources[0]);
    }
    assertEquals(expected, records, "records");
  }

  /** A random corpus: its rows and the number of pieces its rows are dealt into. */
  private record Corpus(List<Row> rows, int pieces) {}

  /**
   * Corpus {@code i}: 1-3 utterances of 0-9 frames with gaps, frames given 2-3 times (equal or
   * other units, other speakers and sources), a missing unit now and then, speakers and sources
   * (null included) named per corpus, each row in one of 1-8 pieces.
   */
  private static Corpus corpus(int i, Random r) {
    int pieces = 1 + r.nextInt(8);
    List<Row> rows = new ArrayList<>();
    for (int u = 0; u < 1 + r.nextInt(3); u++) {
      String id = "c" + i + "u" + u;
      int frames = r.nextInt(10);
      for (int f = 0; f < frames; f++) {
        if (r.nextInt(8) == 0) {
          continue;
        }
        int[] units = {r.nextInt(3), r.nextInt(2), r.nextInt(3)};
        for (int copy = r.nextInt(4) == 0 ? 2 + r.nextInt(2) : 1; copy > 0; copy--) {
          String speaker = SPEAKERS[r.nextInt(SPEAKERS.length)];
          String source = SOURCES[r.nextInt(SOURCES.length)];
          Integer a = r.nextInt(12) == 0 ? null : r.nextBoolean() ? units[0] : r.nextInt(3);
          rows.add(row(id, f, speaker == null ? null : i + ":" + speaker,
              source == null ? null : i + ":" + source, a, units[1], units[2],
              8 * i + r.nextInt(pieces)));
        }
      }
    }
    return new Corpus(rows, pieces);
  }

  private static String name(Object s) {
    return s == null ? "unknown" : (String) s;
  }

  /** A row's order of duplicates: frame, units, speaker, source (Spark's string order). */
  private static final Comparator<Row> LEAST = Comparator.<Row>comparingInt(r -> r.getInt(1))
      .thenComparingInt(r -> r.getInt(4)).thenComparingInt(r -> r.getInt(5))
      .thenComparingInt(r -> r.getInt(6))
      .thenComparing(r -> UTF8String.fromString(name(r.get(2))))
      .thenComparing(r -> UTF8String.fromString(name(r.get(3))));

  /** The runs of valid rows as {@code utterance|speaker|source|a|v|t|start|len}, plainly. */
  private static List<String> modelRuns(List<Row> rows) {
    Map<String, List<Row>> byUtterance = new TreeMap<>();
    for (Row r : rows) {
      if (!r.isNullAt(4)) {
        byUtterance.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
      }
    }
    List<String> out = new ArrayList<>();
    byUtterance.forEach((id, own) -> {
      own.sort(LEAST);
      Row run = null;
      int start = 0;
      int last = 0;
      for (Row r : own) {
        if (run != null && r.getInt(1) == last) {
          continue;
        }
        boolean same = run != null && r.getInt(1) == last + 1;
        for (int k = 2; same && k < 7; k++) {
          same = String.valueOf(run.get(k)).equals(String.valueOf(r.get(k)))
              || k < 4 && name(run.get(k)).equals(name(r.get(k)));
        }
        if (!same) {
          if (run != null) {
            out.add(runString(run, start, last - start + 1));
          }
          run = r;
          start = r.getInt(1);
        }
        last = r.getInt(1);
      }
      if (run != null) {
        out.add(runString(run, start, last - start + 1));
      }
    });
    Collections.sort(out);
    return out;
  }

  private static String runString(Row r, int start, long len) {
    return String.join("|", r.getString(0), name(r.get(2)), name(r.get(3)),
        String.valueOf(r.get(4)), String.valueOf(r.get(5)), String.valueOf(r.get(6)),
        String.valueOf(start), String.valueOf(len));
  }

  private static List<String> runStrings(Dataset<Row> runs) {
    List<String> out = new ArrayList<>();
    for (Row r : runs.select("utterance_id", "start", "speaker_id", "data_source", "audio_unit",
        "visual_unit", "text_unit", "len").collectAsList()) {
      out.add(runString(r, r.getInt(1), r.getLong(7)));
    }
    Collections.sort(out);
    return out;
  }

  /**
   * 100 random corpora in one input (utterances, speakers and sources named per corpus, rows
   * shuffled, each corpus dealt into its 1-8 pieces), read in 1 to 8 partitions under as many
   * shuffle partitions: both paths' runs equal the plain model's, groups are the model's runs'
   * only, and both paths give the same results under every partitioning, bit for bit: the whole
   * report (joint table, jackknife, the four nulls, 5 bootstrap replicates, every estimate and
   * interval), 5 permutation-test draws and the per-speaker and per-source profiles.
   */
  @Test
  void bothPathsGiveTheSameResultsUnderAnyPartitioning() {
    long seed = 2026;
    Random r = new Random(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.addAll(corpus(i, r).rows());
    }
    Collections.shuffle(rows, r);
    List<String> model = modelRuns(rows);
    assertTrue(model.size() > 500, "seed " + seed + ": " + model.size() + " runs");
    Map<String, Double> reference = null;
    String partitions = spark.conf().get("spark.sql.shuffle.partitions");
    try {
      for (int p = 1; p <= 8; p++) {
        spark.conf().set("spark.sql.shuffle.partitions", p);
        Dataset<Row> frames = frames(rows, p).drop("part");
        Dataset<Row> valid = frames.filter(col("audio_unit").isNotNull());
        // The record path at every partitioning, the relational one (many more Spark jobs) at
        // 1, 3 and 8: odd, even and the extremes, in seconds rather than a minute.
        boolean sql = p == 1 || p == 3 || p == 8;
        if (sql) {
          assertEquals(model, runStrings(StatsJob.runs(valid)), "sql, " + p + " partitions");
        }
        assertEquals(model, runStrings(RecordRuns.of(valid)), "records, " + p + " partitions");
        for (boolean records : sql ? new boolean[] {true, false} : new boolean[] {true}) {
          String where = (records ? "records" : "sql") + ", " + p + " partitions";
          Map<String, Double> results = new TreeMap<>();
          try (StatsCounting c = counting(frames, records)) {
            report(c, seed).forEach((q, m) -> m.forEach((k, x) -> results.put(q + " " + k, x)));
            long[] atLeast = c.nullsAtLeastObserved(null, seed, 5).get("");
            for (int i = 0; i < atLeast.length; i++) {
              results.put("draws at least observed " + i, (double) atLeast[i]);
            }
            for (String key : List.of("speaker_id", "data_source")) {
              TreeSet<String> groups = new TreeSet<>();
              profiles(c, key).forEach((k, v) -> {
                groups.add(k.substring(0, k.indexOf('|')));
                for (int j = 0; j < 3; j++) {
                  results.put(key + " " + k + " " + j, v[j]);
                }
              });
              TreeSet<String> expected = new TreeSet<>();
              int field = key.equals("speaker_id") ? 1 : 2;
              model.forEach(m -> expected.add(m.split("\\|")[field]));
              assertEquals(expected, groups, key + ", " + where);
            }
          }
          if (reference == null) {
            reference = results;
            assertTrue(results.size() > 15 * 8 + 2 * 15 * 200, "compared: " + results.size());
          } else {
            assertSameBits(reference, results, where);
          }
        }
      }
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", partitions);
    }
  }

  /** The same keys and, at each, the same double (NaN equal to NaN). */
  private static void assertSameBits(Map<String, Double> want, Map<String, Double> got,
      String where) {
    assertEquals(want.keySet(), got.keySet(), where);
    want.forEach((k, x) -> assertEquals(Double.doubleToLongBits(x),
        Double.doubleToLongBits(got.get(k)), where + ": " + k + " " + x + " vs " + got.get(k)));
  }

  /**
   * The whole report as the job computes it from a counting: joint table, jackknife, the four
   * nulls, 5 bootstrap replicates, every estimate and interval.
   */
  private static Map<String, Map<String, Double>> report(StatsCounting c, long seed) {
    JointCounts total = c.total();
    StatsEstimates e = new StatsEstimates(total, 0.95);
    e.jackknife(c.jackknife(total));
    if (e.jackknifeUtterances() >= 2) {
      c.nulls(e.jackknifeUtterances(), seed).forEach(e::nulls);
    }
    e.bootstrap(c.bootstrap(5, seed));
    return e.measures(2);
  }
}
