package org.parallax.avinfo;

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
