package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.parallax.recsys.RankingMetrics;

/** RelBench ranking metrics and the baselines of {@code recsys eval}. */
class RecsysEvalTest extends SparkTestBase {

  @Test
  void rankingMetricsMatchHandComputation() {
    StructType recSchema = new StructType().add("method", DataTypes.StringType)
        .add("user_id", DataTypes.LongType).add("rank", DataTypes.IntegerType)
        .add("item_id", DataTypes.LongType);
    // User 1: truth {10, 30}; ranked 10, 20, 30 -> hits at 1 and 3.
    // User 2: truth {40}; ranked 50, 60, 70 -> no hit. User 3: truth {80}; no recommendation.
    Dataset<Row> recs = spark.createDataFrame(List.of(
        RowFactory.create("m", 1L, 1, 10L), RowFactory.create("m", 1L, 2, 20L),
        RowFactory.create("m", 1L, 3, 30L), RowFactory.create("m", 2L, 1, 50L),
        RowFactory.create("m", 2L, 2, 60L), RowFactory.create("m", 2L, 3, 70L)), recSchema);
    Dataset<Row> truth = spark.createDataFrame(List.of(
        RowFactory.create(1L, new long[] {10L, 30L}), RowFactory.create(2L, new long[] {40L}),
        RowFactory.create(3L, new long[] {80L})), new StructType()
        .add("user_id", DataTypes.LongType)
        .add("label_items", DataTypes.createArrayType(DataTypes.LongType)));
    Map<String, Double> m = RankingMetrics.compute(spark, recs, truth, 3, 100).get("m");
    // AP@3 of user 1 = (1/1 + 2/3) / min(2, 3); users 2 and 3 score 0.
    assertEquals((1 + 2 / 3.0) / 2 / 3, m.get("map@3"), 1e-12);
    assertEquals((1.0 + 0 + 0) / 3, m.get("recall@3"), 1e-12);
    double dcg = 1 + 1 / (Math.log(4) / Math.log(2));
    double idcg = 1 + 1 / (Math.log(3) / Math.log(2));
    assertEquals(dcg / idcg / 3, m.get("ndcg@3"), 1e-12);
    assertEquals(6 / 100.0, m.get("coverage"), 1e-12);
  }

  @Test
  void baselinesOnGeneratedInteractions() {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "recsys", "--out", data.toString(), "--scale", "20000")
        .status());
    Path graph = tmp.resolve("graph");
    assertEquals(0, cli("recsys", "graph", "--interactions", data.resolve("interactions")
        .toString(), "--out", graph.toString()).status());
    Path out = tmp.resolve("eval");
    List<String> lightGcn = List.of("--lightgcn-epochs", "8", "--lightgcn-dim", "32",
        "--seed", "3");
    List<String> args = new java.util.ArrayList<>(List.of("recsys", "eval", "--graph",
        graph.toString(), "--k", "10", "--als-rank", "8", "--als-iterations", "5", "--out",
        out.toString()));
    args.addAll(lightGcn);
    Run run = cli(args.toArray(String[]::new));
    assertEquals(0, run.status(), run.err());
    JsonNode methods = report(out).get("metrics").get("methods");
    double past = methods.get("past_visits").get("map@10").asDouble();
    double pop = methods.get("popularity").get("map@10").asDouble();
    double als = methods.get("als").get("map@10").asDouble();
    // Planted: a third of events re-consume recent items, the rest follow clusters and
    // popularity, so every baseline beats chance and remembering the user's items wins.
    assertTrue(past > pop && past > als, "past " + past + " pop " + pop + " als " + als);
    assertTrue(pop > 0.02 && als > 0.02, "pop " + pop + " als " + als);
    // LightGCN learns the clusters: its BPR loss falls and it ranks far above chance (10 of
    // the catalogue's items at random: recall@10 = 10 / items).
    JsonNode fit = report(out).get("metrics").get("lightgcn");
    JsonNode losses = fit.get("epoch_loss");
    assertEquals(8, losses.size());
    assertTrue(losses.get(7).asDouble() < 0.8 * losses.get(0).asDouble(), losses.toString());
    double items = report(out).get("counts").get("items").asDouble();
    double lightGcnRecall = methods.get("lightgcn").get("recall@10").asDouble();
    assertTrue(lightGcnRecall > 3 * 10 / items, "lightgcn recall@10 " + lightGcnRecall
        + ", chance " + 10 / items);
    assertTrue(methods.get("lightgcn").get("map@10").asDouble() > 0.02, methods.toString());
    long users = report(out).get("counts").get("evaluated_users").asLong();
    Dataset<Row> recs = spark.read().parquet(out.resolve("recommendations").toString());
    assertEquals(users * 10, recs.filter("method = 'popularity'").count());
    assertEquals(0, recs.filter("rank < 1 or rank > 10").count());
    assertTrue(java.nio.file.Files.exists(out.resolve("metrics.png")));

    // The same seed gives the same LightGCN lists. ALS at 40 iterations beside it: its lineage
    // once overflowed the task threads' stacks past ~20 iterations (now checkpointed inside the
    // staged output, and removed before the commit).
    Path again = tmp.resolve("eval-again");
    List<String> argsAgain = new java.util.ArrayList<>(List.of("recsys", "eval", "--graph",
        graph.toString(), "--k", "10", "--baselines", "lightgcn,als", "--als-rank", "4",
        "--als-iterations", "40", "--out", again.toString()));
    argsAgain.addAll(lightGcn);
    Run rerun = cli(argsAgain.toArray(String[]::new));
    assertEquals(0, rerun.status(), rerun.err());
    assertTrue(report(again).get("metrics").get("methods").get("als").get("map@10")
        .asDouble() > 0.02, report(again).toString());
    assertTrue(!java.nio.file.Files.exists(again.resolve("_als_checkpoints")), "checkpoints left");
    Dataset<Row> first = recs.filter("method = 'lightgcn'");
    Dataset<Row> second = spark.read().parquet(again.resolve("recommendations").toString())
        .filter("method = 'lightgcn'");
    assertEquals(users - report(out).get("counts").get("lightgcn_users_without_history")
        .asLong(), first.select("user_id").distinct().count());
    assertEquals(0, first.except(second).count());
    assertEquals(0, second.except(first).count());
  }
}
