package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The utterance resamplings of {@code avinfo stats}, over the record path's run records or the SQL
 * path's per-utterance tables ({@code utterance_id}, the units, {@code k}): the
 * delete-one-utterance {@link Jackknife} and the Poisson(1) bootstrap ({@link SparkHash#poisson}
 * weight per utterance and replicate).
 */
final class UtteranceResampling {
  private UtteranceResampling() {}

  /**
   * The jackknife over run records: each partition leaves its utterances out in turn, the driver
   * merges the partitions' sums.
   */
  static Jackknife jackknife(JavaRDD<UtteranceRuns.Runs> records, JointCounts total) {
    return merged(records.mapPartitions(rows -> {
      Jackknife j = new Jackknife(total);
      while (rows.hasNext()) {
        UtteranceRuns.Runs r = rows.next();
        for (int i = 0; i < r.size(); i++) {
          j.add(r.a[i], r.v[i], r.t[i], r.len[i]);
        }
        j.leave();
      }
      return List.of(j).iterator();
    }), total);
  }

  /** The jackknife over per-utterance tables, exchanged by utterance and sorted. */
  static Jackknife jackknife(Dataset<Row> perUtterance, JointCounts total) {
    return merged(perUtterance.repartition(col("utterance_id"))
        .sortWithinPartitions("utterance_id").toJavaRDD().mapPartitions(rows -> {
          Jackknife j = new Jackknife(total);
          String current = null;
          while (rows.hasNext()) {
            Row r = rows.next();
            if (current != null && !current.equals(r.getString(0))) {
              j.leave();
            }
            current = r.getString(0);
            j.add(r.getInt(1), r.getInt(2), r.getInt(3), r.getLong(4));
          }
          if (current != null) {
            j.leave();
          }
          return List.of(j).iterator();
        }), total);
  }

  private static Jackknife merged(JavaRDD<Jackknife> parts, JointCounts total) {
    Jackknife out = new Jackknife(total);
    parts.collect().forEach(out::merge);
    return out;
  }

  /**
   * The bootstrap replicates' joint tables from run records: each partition sums {@code len * w_b}
   * per cell for every replicate b at once, the driver the partitions' tables.
   */
  static List<JointCounts> bootstrap(JavaRDD<UtteranceRuns.Runs> records, int replicates,
      long seed) {
    // Each partition returns its cells as plain arrays {a, v, t, sum_0 .. sum_(B-1)} (what
    // every serializer carries).
    List<long[]> parts = records.mapPartitions(rows -> {
      Map<List<Integer>, long[]> sums = new HashMap<>();
      long[] w = new long[replicates];
      while (rows.hasNext()) {
        UtteranceRuns.Runs r = rows.next();
        long h = SparkHash.utterance(seed, r.id);
        boolean any = false;
        for (int b = 0; b < replicates; b++) {
          w[b] = SparkHash.poisson(h, b);
          any |= w[b] != 0;
        }
        for (int i = 0; any && i < r.size(); i++) {
          long[] s = sums.computeIfAbsent(List.of(r.a[i], r.v[i], r.t[i]), k -> {
            long[] cell = new long[3 + replicates];
            for (int m = 0; m < 3; m++) {
              cell[m] = k.get(m);
            }
            return cell;
          });
          for (int b = 0; b < replicates; b++) {
            s[3 + b] += w[b] * r.len[i];
          }
        }
      }
      return new ArrayList<>(sums.values()).iterator();
    }).collect();
    return tables(parts, replicates);
  }

  /** Per replicate b, the joint table of cells {a, v, t, sum_0 .. sum_(B-1)}. */
  private static List<JointCounts> tables(List<long[]> parts, int replicates) {
    List<JointCounts> out = new ArrayList<>(replicates);
    for (int b = 0; b < replicates; b++) {
      JointCounts table = new JointCounts();
      for (long[] part : parts) {
        table.add((int) part[0], (int) part[1], (int) part[2], part[3 + b]);
      }
      out.add(table);
    }
    return out;
  }

  /**
   * The same replicates from per-utterance tables: the weights drawn once per utterance (a column
   * per replicate) and one aggregation by cell of {@code k * w_b} for every b.
   */
  static List<JointCounts> bootstrap(Dataset<Row> perUtterance, int replicates, long seed) {
    // The weights depend on the utterance only: drawn once per utterance (a row each), not per
    // cell, and joined with its cells (both sides partitioned by utterance already).
    Column[] draws = new Column[replicates + 1];
    draws[0] = col("utterance_id").as("wu");
    Column[] sums = new Column[replicates];
    for (int b = 0; b < replicates; b++) {
      draws[b + 1] = SparkHash.poisson(col("_h"), lit(b)).as("w" + b);
      sums[b] = sum(col("w" + b).multiply(col("k"))).as("b" + b);
    }
    Dataset<Row> weights = perUtterance.select(col("utterance_id")).distinct()
        .withColumn("_h", SparkHash.utterance(seed)).select(draws);
    Dataset<Row> hashed = perUtterance.join(weights.hint("shuffle_hash"),
        col("utterance_id").equalTo(col("wu")));
    List<Row> rows = hashed.groupBy(col(StatsJob.UNITS[0]), col(StatsJob.UNITS[1]),
        col(StatsJob.UNITS[2])).agg(sums[0], java.util.Arrays.copyOfRange(sums, 1, replicates))
        .collectAsList();
    List<long[]> parts = new ArrayList<>();
    for (Row r : rows) {
      long[] part = new long[3 + replicates];
      for (int i = 0; i < part.length; i++) {
        part[i] = r.isNullAt(i) ? 0 : ((Number) r.get(i)).longValue();
      }
      parts.add(part);
    }
    return tables(parts, replicates);
  }
}
