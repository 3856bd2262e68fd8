package org.parallax.recsys;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log2;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Top-k ranking metrics over users with labels, as RelBench defines them, in SQL operators:
 * MAP@k (average precision divided by {@code min(|truth|, k)}), recall@k, NDCG@k (binary
 * relevance) and catalogue coverage. A labelled user with no recommendation scores zero.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /**
   * Metrics per method.
   *
   * @param recommendations {@code method, user_id, rank, item_id} with ranks 1..k
   * @param truth {@code user_id, label_items}
   * @param items catalogue size, for coverage
   */
  public static Map<String, Map<String, Double>> compute(SparkSession spark,
      Dataset<Row> recommendations, Dataset<Row> truth, int k, long items) {
    Dataset<Row> labels = truth.select(col("user_id"), explode(col("label_items")).as("item_id"))
        .withColumn("rel", lit(1));
    Dataset<Row> judged = recommendations.filter(col("rank").leq(k))
        .join(labels, new String[] {"user_id", "item_id"}, "left")
        .withColumn("rel", coalesce(col("rel"), lit(0)))
        .withColumn("hits", sum("rel").over(Window.partitionBy("method", "user_id")
            .orderBy("rank")))
        .withColumn("prec", when(col("rel").equalTo(1), col("hits").divide(col("rank")))
            .otherwise(0.0))
        .withColumn("gain", col("rel").divide(log2(col("rank").plus(1))));
    Dataset<Row> perUser = judged.groupBy("method", "user_id").agg(sum("prec").as("ap_sum"),
        sum("rel").as("hits"), sum("gain").as("dcg"));
    Dataset<Row> methods = recommendations.select("method").distinct();
    Dataset<Row> users = truth.select(col("user_id"), size(col("label_items")).as("n"))
        .crossJoin(methods)
        .join(idealDcg(spark, k), least(col("n"), lit(k)).equalTo(col("cut")))
        .join(perUser, new String[] {"method", "user_id"}, "left")
        .select(col("method"),
            coalesce(col("ap_sum"), lit(0.0)).divide(least(col("n"), lit(k))).as("ap"),
            coalesce(col("hits"), lit(0L)).divide(col("n")).as("recall"),
            coalesce(col("dcg"), lit(0.0)).divide(col("idcg")).as("ndcg"));
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    for (Row r : users.groupBy("method").agg(avg("ap"), avg("recall"), avg("ndcg"))
        .orderBy("method").collectAsList()) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("map@" + k, r.getDouble(1));
      m.put("recall@" + k, r.getDouble(2));
      m.put("ndcg@" + k, r.getDouble(3));
      out.put(r.getString(0), m);
    }
    for (Row r : recommendations.filter(col("rank").leq(k)).groupBy("method")
        .agg(countDistinct("item_id")).collectAsList()) {
      out.computeIfAbsent(r.getString(0), x -> new LinkedHashMap<>())
          .put("coverage", r.getLong(1) / (double) items);
    }
    return out;
  }

  /** {@code cut, idcg}: the best DCG with {@code cut} relevant items, for cut 1..k. */
  private static Dataset<Row> idealDcg(SparkSession spark, int k) {
    return spark.range(1, k + 1).select(col("id").cast("int").as("cut"),
        sum(lit(1.0).divide(log2(col("id").plus(1)))).over(Window.orderBy("id")).as("idcg"));
  }
}
