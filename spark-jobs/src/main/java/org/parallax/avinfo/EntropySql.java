package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Plug-in and Miller-Madow entropies of weighted count tables, computed in Spark SQL without
 * collecting the tables: with cell weights c summing to N over m non-empty cells,
 * H = ln N - (1/N) sum c ln c (nats) and the Miller-Madow estimate adds (m - 1) / (2N). Grouping
 * columns ({@code by}) give one estimate per group (a bootstrap replicate, a speaker).
 */
final class EntropySql {
  private EntropySql() {}

  /**
   * {@code by..., n, sum_clogc, cells} of the table of {@code units} per group, from rows that
   * carry a weight column {@code w}.
   */
  static Dataset<Row> table(Dataset<Row> weighted, List<String> by, List<String> units) {
    List<Column> keys = new ArrayList<>();
    by.forEach(b -> keys.add(col(b)));
    units.forEach(u -> keys.add(col(u)));
    Dataset<Row> cells = weighted.groupBy(keys.toArray(Column[]::new)).agg(sum("w").as("c"))
        .filter(col("c").gt(0));
    List<Column> groups = new ArrayList<>();
    by.forEach(b -> groups.add(col(b)));
    Column[] aggs = {sum("c").as("n"), sum(col("c").multiply(log(col("c")))).as("sum_clogc"),
        count(lit(1)).as("cells")};
    return (groups.isEmpty() ? cells.agg(aggs[0], Arrays.copyOfRange(aggs, 1, 3))
        : cells.groupBy(groups.toArray(Column[]::new)).agg(aggs[0],
            Arrays.copyOfRange(aggs, 1, 3)));
  }

  /** Plug-in entropy in nats from (n, sum c ln c). */
  static double plugIn(double n, double sumClogc) {
    return n <= 0 ? 0 : Math.log(n) - sumClogc / n;
  }

  /** Miller-Madow corrected entropy in nats. */
  static double millerMadow(double n, double sumClogc, long cells) {
    return n <= 0 ? 0 : plugIn(n, sumClogc) + (cells - 1) / (2 * n);
  }
}
