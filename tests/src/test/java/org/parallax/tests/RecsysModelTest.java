package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.parallax.recsys.ContextGnnModel;

/** ContextGNN end to end: train, score at scale, evaluate against the baselines. */
class RecsysModelTest extends SparkTestBase {

  @Test
  void contextGnnBeatsBaselinesAndItsHalvesOnPlantedData() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "recsys", "--out", data.toString(), "--scale", "40000")
        .status());
    Path graph = tmp.resolve("graph");
    assertEquals(0, cli("recsys", "graph", "--interactions", data.resolve("interactions")
        .toString(), "--items", data.resolve("items").toString(), "--train-windows", "20",
        "--out", graph.toString()).status());
    Path features = tmp.resolve("features");
    assertEquals(0, cli("recsys", "features", "--graph", graph.toString(), "--fanout", "32",
        "--out", features.toString()).status());
    Path model = tmp.resolve("model");
    Run train = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--out", model.toString());
    assertEquals(0, train.status(), train.err());
    JsonNode trained = report(model);
    JsonNode metrics = trained.get("metrics");
    JsonNode epochs = metrics.get("epochs");
    // At most 15 epochs; fewer when 4 in a row brought no better validation MAP@12.
    assertTrue(epochs.size() >= 1 && epochs.size() <= 15, epochs.toString());
    assertEquals(epochs.size() < 15, metrics.get("stopped_early").asBoolean());
    // The model kept is the validation-MAP best, never below the baselines it reproduces.
    double kept = metrics.get("best_val_map@12").asDouble();
    for (JsonNode e : epochs) {
      assertTrue(e.get("val_map").asDouble() <= kept, metrics.toString());
    }
    metrics.get("val_map_baseline_equivalents").forEach(b -> assertTrue(b.asDouble() <= kept,
        metrics.toString()));
    // The attribute encoder read the item table's attributes through the graph's vertices.
    assertEquals("[\"category\",\"price_bucket\"]",
        trained.get("metrics").get("item_attributes").toString());
    assertTrue(Files.exists(model.resolve("model/contextgnn.json")));
    assertTrue(Files.exists(model.resolve("loss.png")));

    Path eval = tmp.resolve("eval");
    Run run = cli("recsys", "eval", "--graph", graph.toString(), "--model", model.toString(),
        "--als-rank", "16", "--als-iterations", "5", "--lightgcn-epochs", "3", "--out",
        eval.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode methods = report(eval).get("metrics").get("methods");
    double gnn = methods.get("contextgnn").get("map@12").asDouble();
    // Far above popularity and ALS (0.15 against 0.30 here); past visits (0.297), the best
    // baseline on this log (ContextGNN 0.304), within 0.02: five times the run-to-run variation
    // recorded on this log (0.004, README; seed-to-seed sd on the grocery log: 0.0029).
    for (String other : List.of("popularity", "als")) {
      double m = methods.get(other).get("map@12").asDouble();
      assertTrue(gnn > m + 0.05, "contextgnn " + gnn + " vs " + other + " " + m + ": " + methods);
    }
    double past = methods.get("past_visits").get("map@12").asDouble();
    assertTrue(gnn >= past - 0.02, "contextgnn " + gnn + " vs past visits " + past + ": "
        + methods);
    String html = Files.readString(eval.resolve("report.html"));
    assertTrue(html.contains("contextgnn_two_tower") && html.contains("contextgnn_pairwise"));
  }

  /**
   * 10^5 users x 10^4 items: each user has three events; every hundredth user's events all come
   * after the test cutoff, so it has no history there. Scoring every user must not join users
   * with items, must match a brute-force ranking, and must still rank the users without history.
   */
  @Test
  void scoresHundredThousandUsersWithoutCrossJoinAndMatchesBruteForce() throws Exception {
    long day = 86_400_000L;
    long start = Timestamp.valueOf("2024-01-01 00:00:00").getTime();
    StructType schema = new StructType().add("user_id", DataTypes.LongType)
        .add("item_id", DataTypes.LongType).add("ts", DataTypes.TimestampType);
    Dataset<Row> events = spark.range(0, 100_000).as(Encoders.LONG()).flatMap(
        (FlatMapFunction<Long, Row>) u -> {
          List<Row> rows = new java.util.ArrayList<>();
          for (int j = 0; j < 3; j++) {
            long t = u % 100 == 0 ? start + 61 * day + j * 3_600_000L
                : start + ((u * 3 + j) % 50) * day + u % 1000 * 1000;
            rows.add(RowFactory.create(u, (u * 7 + j * 1_301) % 10_000, new Timestamp(t)));
          }
          return rows.iterator();
        }, Encoders.row(schema));
    Path interactions = tmp.resolve("interactions");
    events.write().parquet(interactions.toString());
    Path graph = tmp.resolve("graph");
    assertEquals(0, cli("recsys", "graph", "--interactions", interactions.toString(),
        "--train-windows", "1", "--out", graph.toString()).status());
    Path features = tmp.resolve("features");
    assertEquals(0, cli("recsys", "features", "--graph", graph.toString(), "--fanout", "8",
        "--out", features.toString()).status());
    Path model = tmp.resolve("model");
    Run train = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "8", "--dim", "16", "--epochs", "1",
        "--max-examples", "3000", "--sampled-candidates", "512", "--full-softmax-max", "1000",
        "--out", model.toString());
    assertEquals(0, train.status(), train.err());
    assertEquals(10_000, report(model).get("counts").get("items").asLong());

    Path out = tmp.resolve("score");
    Run run = cli("recsys", "score", "--graph", graph.toString(), "--model", model.toString(),
        "--users", "all", "--k", "12", "--block-items", "3000", "--verify-sample", "20",
        "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode counts = report(out).get("counts");
    assertEquals(100_000, counts.get("users").asLong());
    assertEquals(1_000, counts.get("users_without_history").asLong());
    assertTrue(counts.get("brute_force_checked_users").asLong() >= 20, counts.toString());
    assertEquals(0, counts.get("brute_force_mismatches").asLong());
    String plan = Files.readString(out.resolve("plan.txt"));
    for (String join : List.of("CartesianProduct", "BroadcastNestedLoopJoin")) {
      assertFalse(plan.contains(join), plan);
    }
    Dataset<Row> recs = spark.read().parquet(out.resolve("recommendations").toString());
    assertEquals(1_200_000, recs.count());
    assertEquals(100_000, recs.select("user_id").distinct().count());
    assertEquals(12_000, recs.filter("user_id % 100 = 0").count());
    // A user without history has no familiar item: its list is the two-tower ranking alone.
    assertEquals(0, recs.filter("user_id % 100 = 0 and familiar").count());

    // An index mistake planted in the blocked top-k (a wrong item id with the right score) is
    // caught by the brute-force sample and fails the job; nothing is committed.
    Path planted = tmp.resolve("planted");
    System.setProperty(ContextGnnModel.PLANT_INDEX_MISTAKE, "true");
    try {
      Run bad = cli("recsys", "score", "--graph", graph.toString(), "--model",
          model.toString(), "--k", "12", "--block-items", "3000", "--verify-sample", "5",
          "--out", planted.toString());
      assertEquals(1, bad.status(), bad.err());
      assertTrue(bad.err().contains("checked by brute force got a different top-12 (item ids "
          + "or scores)"), bad.err());
      assertFalse(Files.exists(planted.resolve("_SUCCESS")), "a failed check committed output");
    } finally {
      System.clearProperty(ContextGnnModel.PLANT_INDEX_MISTAKE);
    }
  }

  /** MovieLens ratings through the chained pipeline: every stage commits, eval has every method. */
  @Test
  void movieLensThroughThePipelineCommand() {
    Path ratings = movieLensRatings();
    Path out = tmp.resolve("movielens");
    Run run = cli("recsys", "pipeline", "--interactions", ratings.toString(), "--columns",
        "user_id=userId,item_id=movieId,ts=timestamp,weight=rating", "--window-days", "90",
        "--train-windows", "8", "--epochs", "3", "--lightgcn-epochs", "3", "--out",
        out.toString());
    assertEquals(0, run.status(), run.err());
    for (String stage : List.of("graph", "features", "model", "eval")) {
      assertTrue(Files.exists(out.resolve(stage).resolve("_SUCCESS")), stage);
    }
    assertTrue(run.out().contains("recsys pipeline: train succeeded"), run.out());
    JsonNode eval = report(out.resolve("eval"));
    assertEquals(28, eval.get("counts").get("evaluated_users").asLong());
    JsonNode methods = eval.get("metrics").get("methods");
    for (String m : List.of("popularity", "past_visits", "als", "contextgnn",
        "contextgnn_two_tower", "contextgnn_pairwise")) {
      assertTrue(methods.has(m), m + " in " + methods);
    }
    // A user rates a movie once: nothing familiar is ever relabelled.
    assertEquals(0.0, methods.get("past_visits").get("map@12").asDouble());
    assertTrue(methods.get("contextgnn").get("map@12").asDouble() > 0.02, methods.toString());
    // Issue 13: never below the best baseline. Training is seeded, so this run is reproducible;
    // the margin covers the seed spread measured on the grocery log (sd 0.003).
    double best = Math.max(methods.get("popularity").get("map@12").asDouble(),
        methods.get("als").get("map@12").asDouble());
    System.out.println("[movielens] contextgnn " + methods.get("contextgnn").get("map@12")
        + " vs best baseline " + best);
    assertTrue(methods.get("contextgnn").get("map@12").asDouble() >= best - 0.009,
        methods.toString());
  }
}
