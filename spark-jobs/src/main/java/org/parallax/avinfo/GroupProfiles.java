package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Every quantity of {@link EntropyProfile}, plug-in and Miller-Madow, per value of a grouping
 * column (speaker, data source), computed in SQL from joint count rows: each of the seven
 * tables of every group by one aggregation, its frames, sum of c ln c and cells by another, the
 * entropies as {@link JointCounts#profiles(long, double[], long[])} takes them
 * and each quantity as its linear combination of the seven. Nothing grows on the driver with
 * the number of speakers, and every operator is relational (it runs on GPUs under RAPIDS).
 */
final class GroupProfiles {
  private GroupProfiles() {}

  /** The units kept by each of the seven tables (A, V, T, AV, AT, VT, AVT). */
  static final boolean[][] KEEPS = {{true, false, false}, {false, true, false},
    {false, false, true}, {true, true, false}, {true, false, true}, {false, true, true},
    {true, true, true}};

  /**
   * The rows {@code <key>, frames, measure, plug_in, miller_madow} (15 per group, in the
   * logarithm base {@code base}) of joint counts {@code grouped} ({@code key}, the three units
   * and {@code c}, the frames of the cell in that group; read seven times: cache it).
   */
  static Dataset<Row> of(Dataset<Row> grouped, String key, double base) {
    // Each of the seven tables per group aggregated from the joint one (read 7 times, cached
    // by the caller), then its frames, sum of c ln c and cells per group.
    Dataset<Row> perTable = null;
    for (int g = 0; g < 7; g++) {
      List<Column> keys = new ArrayList<>(List.of(col(key)));
      for (int i = 0; i < 3; i++) {
        if (KEEPS[g][i]) {
          keys.add(col(StatsJob.UNITS[i]));
        }
      }
      Dataset<Row> table = grouped.groupBy(keys.toArray(new Column[0])).agg(sum("c").as("c"))
          .groupBy(col(key)).agg(sum("c").as("n"),
              sum(col("c").multiply(functions.log(col("c")))).as("s"),
              count(lit(1)).as("cells")).withColumn("g", lit(g));
      perTable = perTable == null ? table : perTable.unionByName(table);
    }
    // Per group, the seven plug-in entropies and their Miller-Madow terms as columns.
    Column n = col("n").cast("double");
    Column plugIn = functions.log(col("n")).minus(col("s").divide(n));
    Column[] wide = new Column[15];
    wide[0] = max(when(col("g").equalTo(6), col("n"))).as("frames");
    for (int g = 0; g < 7; g++) {
      wide[1 + g] = max(when(col("g").equalTo(g), plugIn)).as("h" + g);
      wide[8 + g] = max(when(col("g").equalTo(g), plugIn.plus(col("cells").minus(1)
          .divide(n.multiply(2.0))))).as("m" + g);
    }
    Dataset<Row> entropies = perTable.groupBy(col(key)).agg(wide[0],
        java.util.Arrays.copyOfRange(wide, 1, wide.length));
    List<Column> measures = new ArrayList<>();
    double ln = Math.log(base);
    for (Map.Entry<String, double[]> q : EntropyProfile.coefficients().entrySet()) {
      measures.add(functions.struct(lit(q.getKey()).as("measure"),
          combination(q.getValue(), "h").divide(ln).as("plug_in"),
          combination(q.getValue(), "m").divide(ln).as("miller_madow")));
    }
    return entropies.select(col(key), col("frames"), functions.explode(functions.array(
            measures.toArray(new Column[0]))).as("x"))
        .select(col(key), col("frames"), col("x.measure"), col("x.plug_in"),
            col("x.miller_madow"));
  }

  /** The sum of {@code coef[g] * <prefix>g} over the tables with a coefficient. */
  private static Column combination(double[] coef, String prefix) {
    Column out = null;
    for (int g = 0; g < 7; g++) {
      if (coef[g] != 0) {
        Column term = coef[g] == 1 ? col(prefix + g) : col(prefix + g).multiply(coef[g]);
        out = out == null ? term : out.plus(term);
      }
    }
    return out;
  }
}
