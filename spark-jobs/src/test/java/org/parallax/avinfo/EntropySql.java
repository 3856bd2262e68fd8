package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
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
   * The count tables of several subsets of {@code units} in one pass: one aggregation over
   * GROUPING SETS (Spark's Expand, then one shuffle), then per (group, subset) {@code by...,
   * subset, n, sum_clogc, cells}, where {@code subset} is the subset's columns joined by commas.
   *
   * @param units every unit column, in order; each subset lists some of them in that order
   */
  static Dataset<Row> tables(Dataset<Row> weighted, List<String> by, List<String> units,
      List<List<String>> subsets) {
    String view = "parallax_counts_" + java.util.UUID.randomUUID().toString().replace("-", "");
    weighted.createOrReplaceTempView(view);
    List<String> all = new ArrayList<>(by);
    all.addAll(units);
    StringBuilder sets = new StringBuilder();
    StringBuilder key = new StringBuilder("CASE grouping_id()");
    for (List<String> subset : subsets) {
      List<String> cols = new ArrayList<>(by);
      cols.addAll(subset);
      sets.append(sets.length() == 0 ? "" : ", ").append("(")
          .append(String.join(", ", cols)).append(")");
      int g = 0;
      for (int i = 0; i < units.size(); i++) {
        if (!subset.contains(units.get(i))) {
          g |= 1 << (units.size() - 1 - i);
        }
      }
      key.append(" WHEN ").append(g).append(" THEN '").append(String.join(",", subset))
          .append("'");
    }
    key.append(" END");
    String byList = by.isEmpty() ? "" : String.join(", ", by) + ", ";
    Dataset<Row> cells = weighted.sparkSession().sql("SELECT " + byList + key + " AS subset, "
        + "SUM(w) AS c FROM " + view + " GROUP BY " + String.join(", ", all)
        + " GROUPING SETS (" + sets + ")").filter(col("c").gt(0));
    weighted.sparkSession().catalog().dropTempView(view);
    List<Column> groups = new ArrayList<>();
    by.forEach(b -> groups.add(col(b)));
    groups.add(col("subset"));
    return cells.groupBy(groups.toArray(Column[]::new)).agg(sum("c").as("n"),
        sum(col("c").multiply(log(col("c")))).as("sum_clogc"), count(lit(1)).as("cells"));
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
