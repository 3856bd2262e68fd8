package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Every quantity, plug-in and Miller-Madow, per value of a grouping column: rows {@code <key>,
 * frames, measure, plug_in, miller_madow} (15 per group, in the base {@code base}). Each group's
 * cells cross one exchange as packed {a, v, t, c} arrays and {@link JointCounts} gives its
 * profiles.
 */
final class GroupProfiles {
  private GroupProfiles() {}

  /** The rows of joint counts {@code grouped} ({@code key}, the three units, {@code c}). */
  static Dataset<Row> of(Dataset<Row> grouped, String key, double base) {
    String[] u = StatsJob.UNITS;
    JavaPairRDD<String, long[]> cells = grouped.select(col(key), col(u[0]), col(u[1]),
        col(u[2]), col("c")).toJavaRDD().mapToPair(r -> new Tuple2<>(r.getString(0),
            new long[] {r.getInt(1), r.getInt(2), r.getInt(3), r.getLong(4)}));
    return rows(grouped.sparkSession(), cells, key, base);
  }

  /**
   * The rows of run records (a run's group: its speaker for {@code speaker_id}, else its source):
   * each partition adds each group's runs into one table at a time, the same table emptied.
   */
  static Dataset<Row> ofRecords(SparkSession spark, JavaRDD<UtteranceRuns.Runs> records,
      String key, double base) {
    boolean bySpeaker = key.equals("speaker_id");
    JavaPairRDD<String, long[]> partial = records.mapPartitionsToPair(it -> {
      List<UtteranceRuns.Runs> held = new ArrayList<>();
      it.forEachRemaining(held::add);
      // Each group's (record, group index) pairs, groups in name order.
      Map<String, List<int[]>> members = new TreeMap<>();
      for (int k = 0; k < held.size(); k++) {
        String[] names = bySpeaker ? held.get(k).speakers : held.get(k).sources;
        for (int g = 0; g < names.length; g++) {
          members.computeIfAbsent(names[g], x -> new ArrayList<>()).add(new int[] {k, g});
        }
      }
      List<Tuple2<String, long[]>> out = new ArrayList<>();
      CellCounts table = new CellCounts();
      members.forEach((group, runs) -> {
        table.clear();
        runs.forEach(e -> held.get(e[0]).addTo(table, e[1]));
        out.add(new Tuple2<>(group, table.packed()));
      });
      return out.iterator();
    });
    return rows(spark, partial, key, base);
  }

  /** Packed tables merged by group (added into one table, not concatenated), 15 rows each. */
  private static Dataset<Row> rows(SparkSession spark, JavaPairRDD<String, long[]> tables,
      String key, double base) {
    double ln = Math.log(base);
    JavaRDD<Row> rows = tables.groupByKey().mapPartitions(groups -> {
      // One table emptied per group: a new one per group allocated its seven tables anew.
      JointCounts table = new JointCounts();
      List<Row> out = new ArrayList<>();
      groups.forEachRemaining(e -> {
        table.clear();
        e._2().forEach(table::addPacked);
        EntropyProfile[] h = table.profiles();
        Map<String, Double> mm = h[1].asMap();
        h[0].asMap().forEach((q, v) -> out.add(RowFactory.create(e._1(), table.frames(), q,
            v / ln, mm.get(q) / ln)));
      });
      return out.iterator();
    });
    return spark.createDataFrame(rows, new StructType().add(key, DataTypes.StringType)
        .add("frames", DataTypes.LongType).add("measure", DataTypes.StringType)
        .add("plug_in", DataTypes.DoubleType).add("miller_madow", DataTypes.DoubleType));
  }
}
