package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.parallax.spark.AnswerScorer;
import org.parallax.spark.ContextGnnRecommender;
import org.parallax.spark.E5Embedder;
import org.parallax.spark.PassageRetriever;

/**
 * parallax's Spark ML transformers against the jobs: {@link E5Embedder} gives the passage
 * vectors {@code retrieval index} stored, {@link PassageRetriever} the rows of
 * {@code retrieval search} (bm25, e5, hybrid), {@link AnswerScorer} the scores of
 * {@code rollout eval}, {@link ContextGnnRecommender} the recommendations of {@code recsys score}
 * (also saved and loaded); a pipeline of the first two saved and loaded gives identical output;
 * null and empty inputs; wrong paths failing with one line.
 */
class SparkMlTransformersTest extends SparkTestBase {

  @Test
  void e5EmbedderGivesTheIndexJobsPassageVectors() throws Exception {
    Map<String, float[]> stored = TinyIndex.vectors();
    List<Row> rows = new E5Embedder().setInputCol("contents").setOutputCol("vector")
        .setKind("passage").transform(spark.read().json(TinyIndex.corpus().toString()))
        .select("id", "vector").collectAsList();
    assertEquals(stored.size(), rows.size());
    for (Row r : rows) {
      assertArrayEquals(stored.get(r.getString(0)), TinyIndex.floats(r.getList(1)),
          r.getString(0));
    }
  }

  @Test
  void passageRetrieverGivesRetrievalSearchsRowsForEveryRetriever() throws Exception {
    Dataset<Row> qa = spark.read().json(TinyIndex.qa().toString()).repartition(3);
    for (String retriever : List.of("bm25", "e5", "hybrid")) {
      Dataset<Row> out = new PassageRetriever().setIndexPath(TinyIndex.index().toString())
          .setRetriever(retriever).setK(TinyIndex.K).transform(qa);
      assertEquals(TinyIndex.search(retriever), hits(out, "passages"), retriever);
    }
  }

  @Test
  void pipelineOfEmbedderAndRetrieverSavedAndLoadedGivesIdenticalOutput() throws Exception {
    PipelineModel model = new Pipeline().setStages(new PipelineStage[] {
      new E5Embedder().setInputCol("question").setOutputCol("question_vector"),
      new PassageRetriever().setInputCol("question").setIndexPath(TinyIndex.index().toString())
          .setRetriever("e5").setK(TinyIndex.K)}).fit(spark.emptyDataFrame()
          .selectExpr("'' AS question"));
    Dataset<Row> qa = spark.read().json(TinyIndex.qa().toString());
    List<Row> before = model.transform(qa).orderBy("id").collectAsList();
    String path = tmp.resolve("pipeline").toString();
    model.write().overwrite().save(path);
    PipelineModel loaded = PipelineModel.load(path);
    assertEquals(Arrays.asList("question_vector", "passages"), Arrays.asList(
        ((E5Embedder) loaded.stages()[0]).getOutputCol(),
        ((PassageRetriever) loaded.stages()[1]).getOutputCol()));
    assertEquals(before, loaded.transform(qa).orderBy("id").collectAsList());
    assertEquals(TinyIndex.search("e5"), hits(model.transform(qa), "passages"));
  }

  @Test
  void answerScorerGivesRolloutEvalsScores() throws Exception {
    Dataset<Row> rollouts = spark.read().parquet(TinyIndex.rollouts().toString())
        .filter("answer IS NOT NULL");
    List<Row> rows = new AnswerScorer().setPredictionCol("answer").setEmCol("em2")
        .setSubemCol("subem2").setF1Col("f12").transform(rollouts)
        .select("em", "subem", "f1", "em2", "subem2", "f12").collectAsList();
    assertTrue(rows.size() >= 5, "answered rollouts: " + rows.size());
    for (Row r : rows) {
      for (int i = 0; i < 3; i++) {
        assertEquals(r.get(i), r.get(i + 3), r.toString());
      }
    }
  }

  @Test
  void nullAndEmptyInputs() throws Exception {
    StructType schema = new StructType().add("question", DataTypes.StringType)
        .add("prediction", DataTypes.StringType)
        .add("golden_answers", DataTypes.createArrayType(DataTypes.StringType));
    Dataset<Row> df = spark.createDataFrame(List.of(
        RowFactory.create(null, null, null),
        RowFactory.create("", "paris", new String[0]),
        RowFactory.create("the of", "Paris", new String[] {"paris"})), schema).repartition(1);
    List<Row> rows = new AnswerScorer().transform(new PassageRetriever().setIndexPath(
        TinyIndex.index().toString()).transform(new E5Embedder().setInputCol("question")
        .transform(df))).collectAsList();
    Row nulls = rows.get(0);
    assertNull(nulls.getAs("embedding"));
    assertNull(nulls.getAs("passages"));
    assertNull(nulls.getAs("em"));
    Row empty = rows.get(1);
    assertEquals(384, empty.getList(3).size(), "the empty text has an embedding");
    assertEquals(List.of(), empty.getList(4), "no terms, no passages");
    assertNull(empty.getAs("em"), "no gold answers, no score");
    Row stop = rows.get(2);
    assertEquals(List.of(), stop.getList(4), "stop words only");
    assertEquals(List.of(1.0, 1.0, 1.0), List.of(stop.getAs("em"), stop.getAs("subem"),
        stop.getAs("f1")));
  }

  @Test
  void wrongPathsAndColumnsFailWithOneLine() throws Exception {
    Dataset<Row> qa = spark.read().json(TinyIndex.qa().toString());
    String index = TinyIndex.index().toString();
    String missing = TinyIndex.index().resolveSibling("no-such-index").toString();
    List<Runnable> calls = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    calls.add(() -> new PassageRetriever().setIndexPath(missing).transform(qa));
    expected.add("PassageRetriever: index '" + missing + "': index " + missing
        + " has no manifest.json");
    calls.add(() -> new E5Embedder().setModelPath(missing).setInputCol("question")
        .transform(qa));
    expected.add("E5Embedder: modelPath '" + missing + "': ");
    calls.add(() -> new PassageRetriever().setIndexPath(index).setInputCol("query")
        .transform(qa));
    expected.add("PassageRetriever: inputCol 'query' is not a column of struct<");
    calls.add(() -> new PassageRetriever().transform(qa));
    expected.add("PassageRetriever: indexPath is not set");
    for (int i = 0; i < calls.size(); i++) {
      Exception e = assertThrows(Exception.class, calls.get(i)::run, expected.get(i));
      assertTrue(e.getMessage().startsWith(expected.get(i)), e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
  }

  @Test
  void contextGnnRecommenderGivesRecsysScoresRecommendations() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "recsys", "--out", data.toString(), "--scale", "800")
        .status());
    Path graph = tmp.resolve("graph");
    assertEquals(0, cli("recsys", "graph", "--interactions", data.resolve("interactions")
        .toString(), "--items", data.resolve("items").toString(), "--train-windows", "2",
        "--out", graph.toString()).status());
    Path features = tmp.resolve("features");
    assertEquals(0, cli("recsys", "features", "--graph", graph.toString(), "--fanout", "8",
        "--out", features.toString()).status());
    Path model = tmp.resolve("model");
    Run train = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "8", "--dim", "16", "--epochs", "1", "--max-examples",
        "2000", "--out", model.toString());
    assertEquals(0, train.status(), train.err());
    Path score = tmp.resolve("score");
    Run scored = cli("recsys", "score", "--graph", graph.toString(), "--model",
        model.toString(), "--users", "all", "--k", "5", "--out", score.toString());
    assertEquals(0, scored.status(), scored.err());
    List<Row> expected = spark.read().parquet(score.resolve("recommendations").toString())
        .filter("method = 'contextgnn'").selectExpr("user_id", "rank", "item_id", "score")
        .orderBy("user_id", "rank").collectAsList();

    Dataset<Row> users = spark.read().parquet(graph.resolve("dictionary/users").toString())
        .selectExpr("original_id AS customer").union(spark.sql("SELECT 'no-such-user'"))
        .union(spark.sql("SELECT CAST(NULL AS string)"));
    ContextGnnRecommender recommender = new ContextGnnRecommender().setInputCol("customer")
        .setGraphPath(graph.toString()).setModelPath(model.toString()).setK(5)
        .setBatchUsers(7);
    String path = tmp.resolve("recommender").toString();
    recommender.write().save(path);
    for (ContextGnnRecommender r : List.of(recommender, ContextGnnRecommender.load(path))) {
      Dataset<Row> out = r.transform(users);
      assertEquals(2, out.filter("recommendations IS NULL").count(), "unknown and null ids");
      List<Row> got = out.selectExpr("customer", "posexplode(recommendations) AS (pos, rec)")
          .selectExpr("customer", "pos + 1 AS rank", "rec.item_id", "rec.score")
          .orderBy("customer", "rank").collectAsList();
      assertEquals(expected.size(), got.size());
      for (int i = 0; i < got.size(); i++) {
        Row x = expected.get(i);
        Row y = got.get(i);
        assertEquals(List.of(x.get(0), x.get(1), x.get(2)), List.of(y.get(0), y.get(1),
            y.get(2)), x + " vs " + y);
        assertEquals(x.getFloat(3), y.getFloat(3), 1e-5, x + " vs " + y);
      }
    }

    // The model rebuilt at the same path (another seed), in this same JVM and session:
    // `recsys score` and the recommender use the new model, as a path never seen before does.
    Run retrain = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "8", "--dim", "16", "--epochs", "1", "--max-examples",
        "2000", "--seed", "7", "--out", model.toString(), "--overwrite");
    assertEquals(0, retrain.status(), retrain.err());
    Path rescore = tmp.resolve("rescore");
    Run again = cli("recsys", "score", "--graph", graph.toString(), "--model",
        model.toString(), "--users", "all", "--k", "5", "--out", rescore.toString());
    assertEquals(0, again.status(), again.err());
    List<Row> rescored = spark.read().parquet(rescore.resolve("recommendations").toString())
        .filter("method = 'contextgnn'").selectExpr("user_id", "rank", "item_id", "score")
        .orderBy("user_id", "rank").collectAsList();
    assertNotEquals(expected, rescored, "the rebuilt model scored as the old one");
    Path unseen = Files.createDirectories(tmp.resolve("unseen"));
    try (java.util.stream.Stream<Path> files = Files.walk(model)) {
      for (Path f : files.toList()) {
        Path to = unseen.resolve(model.relativize(f).toString());
        if (!Files.isDirectory(f)) {
          Files.createDirectories(to.getParent());
          Files.copy(f, to);
        }
      }
    }
    List<Row> fresh = recommendations(new ContextGnnRecommender().setInputCol("customer")
        .setGraphPath(graph.toString()).setModelPath(unseen.toString()).setK(5)
        .setBatchUsers(7).transform(users));
    List<Row> reused = recommendations(recommender.transform(users));
    assertEquals(fresh, reused, "the recommender kept the old model");
    assertEquals(fresh.size(), rescored.size());
    for (int i = 0; i < fresh.size(); i++) {
      assertEquals(fresh.get(i).get(2), rescored.get(i).get(2), "`recsys score` row " + i);
    }
  }

  /** (customer, rank, item_id, score) of a recommender's output, ordered. */
  private static List<Row> recommendations(Dataset<Row> out) {
    return out.filter("recommendations IS NOT NULL")
        .selectExpr("customer", "posexplode(recommendations) AS (pos, rec)")
        .selectExpr("customer", "pos + 1 AS rank", "rec.item_id", "rec.score")
        .orderBy("customer", "rank").collectAsList();
  }

  /** (id, passages) as retrieval search's rows: query_id, rank, doc_id, score, contents. */
  private static List<Row> hits(Dataset<Row> out, String column) {
    return out.selectExpr("id", "posexplode(" + column + ") AS (pos, hit)")
        .selectExpr("id", "pos + 1 AS rank", "hit.id", "hit.score", "hit.contents")
        .orderBy("id", "rank").collectAsList();
  }
}
