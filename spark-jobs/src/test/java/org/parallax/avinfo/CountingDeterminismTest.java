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
      UtteranceRuns.InputCounts[] c = new UtteranceRuns.InputCounts[1];
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
}
