package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * A user's local subgraph at a cutoff, as ContextGNN samples it: the user's most recent distinct
 * items before the cutoff (its "familiar" items), each with pair features. Shared by
 * {@code recsys features}, {@code train}, {@code score} and {@code eval}, so every stage sees
 * the same subgraph.
 */
public final class LocalSubgraph {
  private LocalSubgraph() {}

  /** The edges of a {@code recsys graph} output as {@code user_id, item_id, ts, weight}. */
  public static Dataset<Row> edges(SparkSession spark, String graph) {
    return spark.read().parquet(graph + "/edges")
        .select(expr("cast(substring(src, 2) as bigint)").as("user_id"),
            expr("cast(substring(dst, 2) as bigint)").as("item_id"), col("ts"), col("weight"));
  }

  /**
   * Familiar items of each (user, cutoff): {@code user_id, <cutoff columns>, item_id, count,
   * decayed, recency_days, recency_rank}, at most {@code fanout} per (user, cutoff).
   *
   * @param cutoffs {@code user_id, window, cutoff} and any other columns to carry
   */
  public static Dataset<Row> pairs(Dataset<Row> edges, Dataset<Row> cutoffs, int fanout,
      double halfLifeDays) {
    Column age = unix_timestamp(col("cutoff")).minus(unix_timestamp(col("ts")));
    String[] keys = cutoffs.columns();
    Column[] group = new Column[keys.length + 1];
    for (int i = 0; i < keys.length; i++) {
      group[i] = col(keys[i]);
    }
    group[keys.length] = col("item_id");
    return edges.join(cutoffs, "user_id").filter(col("ts").leq(col("cutoff")))
        .groupBy(group)
        .agg(count(lit(1)).as("count"), max("ts").as("last_ts"),
            sum(col("weight").multiply(pow(lit(0.5), age.divide(halfLifeDays * 86_400.0))))
                .as("decayed"))
        .withColumn("recency_days", unix_timestamp(col("cutoff"))
            .minus(unix_timestamp(col("last_ts"))).divide(86_400.0))
        .withColumn("recency_rank", row_number().over(Window.partitionBy("user_id", "window")
            .orderBy(col("last_ts").desc(), col("item_id"))))
        .filter(col("recency_rank").leq(fanout))
        .drop("last_ts");
  }

  /**
   * One row per (user, window): {@code user_id, window, familiar} where familiar is the array of
   * {@code (recency_rank, item_id, count, recency_days, decayed)}, most recent first.
   */
  public static Dataset<Row> nested(Dataset<Row> pairs) {
    return pairs.groupBy("user_id", "window")
        .agg(sort_array(collect_list(struct(col("recency_rank"), col("item_id"),
            col("count"), col("recency_days"), col("decayed")))).as("familiar"));
  }
}
