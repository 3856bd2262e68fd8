package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkHash} in memory equals Spark's own {@code xxhash64} (the column forms) over every
 * type and edge value the draws use: negative, zero and extreme seeds, starts and replicates,
 * empty, non-ASCII, four-byte and null utterance ids, one and many buckets.
 */
class SparkHashTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[1]").appName("spark-hash-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void memoryEqualsSparkOverEdgeValues() {
    String[] ids = {"", "u", "\u00e9t\u00e9", "\uD83D\uDE00", null, "utterance-0000000000-x"};
    int[] ints = {Integer.MIN_VALUE, -1, 0, 1, 199, Integer.MAX_VALUE};
    List<Row> rows = new ArrayList<>();
    for (String id : ids) {
      for (int i : ints) {
        rows.add(RowFactory.create(id, i));
      }
    }
    StructType schema = new StructType().add("utterance_id", DataTypes.StringType)
        .add("start", DataTypes.IntegerType);
    for (long seed : new long[] {Long.MIN_VALUE, -1, 0, 1, 42, Long.MAX_VALUE}) {
      for (long buckets : new long[] {1, 7, Long.MAX_VALUE}) {
        List<Row> spark = SparkHashTest.spark.createDataFrame(rows, schema).select(
            col("utterance_id"), col("start"), SparkHash.utterance(seed),
            SparkHash.bucket(seed, buckets), SparkHash.run(seed),
            SparkHash.poisson(SparkHash.utterance(seed), col("start"))).collectAsList();
        for (Row r : spark) {
          String id = r.getString(0);
          int i = r.getInt(1);
          String where = "seed " + seed + " id " + id + " int " + i + " buckets " + buckets;
          long h = SparkHash.utterance(seed, id);
          assertEquals(r.getLong(2), h, where);
          assertEquals(r.getLong(3), SparkHash.bucket(seed, buckets, id), where);
          assertEquals(r.getLong(4), SparkHash.then(h, i), where);
          assertEquals(r.getLong(5), SparkHash.poisson(h, i), where);
        }
      }
    }
  }
}
