package org.parallax.tests;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.parallax.avinfo.InformationMeasures;

/** The generated data carries the structure its ground truth claims. */
class DatagenTruthTest extends SparkTestBase {

  @Test
  void avinfoFrameEntropiesMatchClosedFormTruth() {
    Path out = tmp.resolve("av");
    assertEquals(0, cli("datagen", "avinfo", "--out", out.toString(), "--scale", "300000")
        .status());
    JsonNode truth = json(out.resolve("truth.json")).get("measures");
    Dataset<Row> frames = spark.read().parquet(out.resolve("frames").toString()).cache();
    long n = frames.count();
    assertTrue(n > 250_000 && n < 350_000, "frames " + n);
    // Plug-in estimates from 3e5 correlated frames sit within a few hundredths of a bit.
    assertEquals(truth.get("H(T)").asDouble(), entropy(frames, "text_unit"), 0.02);
    assertEquals(truth.get("H(V)").asDouble(), entropy(frames, "visual_unit"), 0.02);
    assertEquals(truth.get("H(A)").asDouble(), entropy(frames, "audio_unit"), 0.02);
    assertEquals(truth.get("H(A,V,T)").asDouble(),
        entropy(frames, "audio_unit", "visual_unit", "text_unit"), 0.05);
    // Units repeat across neighbouring frames, as in speech: about half the frames repeat.
    double repeats = frames.selectExpr("audio_unit = lag(audio_unit) over (partition by "
        + "utterance_id order by frame) and text_unit = lag(text_unit) over (partition by "
        + "utterance_id order by frame) as r").filter("r").count() / (double) n;
    assertTrue(repeats > 0.45 && repeats < 0.6, "repeat fraction " + repeats);
    frames.unpersist();
  }

  @Test
  void retrievalAnswersArePlantedInTheirGoldPassages() {
    Path out = tmp.resolve("ret");
    assertEquals(0, cli("datagen", "retrieval", "--out", out.toString(), "--scale", "2000")
        .status());
    Dataset<Row> corpus = spark.read().json(out.resolve("corpus").toString());
    Dataset<Row> qa = spark.read().json(out.resolve("qa").toString());
    assertEquals(2000, corpus.count());
    assertEquals(2000, corpus.select("id").distinct().count());
    assertEquals(100, qa.count());
    Dataset<Row> joined = qa.join(corpus, qa.col("gold_doc_id").equalTo(corpus.col("id")));
    assertEquals(100, joined.count());
    assertEquals(0, joined.filter(expr("not contains(contents, golden_answers[0])")).count());
    Row first = corpus.orderBy(col("id").cast("long")).first();
    assertTrue(first.<String>getAs("contents").startsWith("\""), "wiki-18 \"Title\"\\ntext");
    assertTrue(first.<String>getAs("contents").contains("\"\n"));
  }

  @Test
  void recsysEventsShowRepeatsAndClusterPreference() {
    Path out = tmp.resolve("rec");
    assertEquals(0, cli("datagen", "recsys", "--out", out.toString(), "--scale", "20000")
        .status());
    Dataset<Row> events = spark.read().parquet(out.resolve("interactions").toString());
    Dataset<Row> users = spark.read().parquet(out.resolve("truth/user_clusters").toString());
    Dataset<Row> items = spark.read().parquet(out.resolve("truth/item_clusters").toString())
        .withColumnRenamed("cluster", "item_cluster");
    long n = events.count();
    long repeats = events.groupBy("user_id", "item_id").count()
        .selectExpr("sum(count - 1)").first().getLong(0);
    double inCluster = events.join(users, "user_id").join(items, "item_id")
        .filter("cluster = item_cluster").count() / (double) n;
    // Planted: 35% repeats (plus chance re-picks), and 0.65 * 0.5 cluster picks on top of them.
    assertTrue(repeats / (double) n > 0.35, "repeat fraction " + repeats / (double) n);
    assertTrue(inCluster > 0.5, "in-cluster fraction " + inCluster);
    List<Row> perUser = events.groupBy("user_id").count().selectExpr("min(count)", "avg(count)")
        .collectAsList();
    assertTrue(perUser.get(0).getLong(0) >= 1);
    assertEquals(25.0, perUser.get(0).getDouble(1), 2.0);
  }

  private static double entropy(Dataset<Row> frames, String... columns) {
    List<Row> counts = frames.groupBy(columns[0], java.util.Arrays.copyOfRange(columns, 1,
        columns.length)).count().collectAsList();
    double[] w = counts.stream().mapToDouble(r -> r.getLong(columns.length)).toArray();
    return InformationMeasures.entropy(w, 2);
  }
}
