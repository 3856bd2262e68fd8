package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.spark.ParallaxFunctions;

/**
 * parallax's SQL functions against the jobs that compute the same things: {@code parallax_em},
 * {@code _subem}, {@code _f1} against {@code rollout eval}'s scores, {@code parallax_search}
 * against {@code retrieval search} (bm25, e5, hybrid: same passages, ranks, scores, contents),
 * {@code parallax_embed} against the passage vectors {@code retrieval index} stored; null and
 * empty inputs; wrong paths and arguments failing with one line naming the function.
 */
class SparkSqlFunctionsTest extends SparkTestBase {
  /** A tiny corpus indexed with bm25 and e5 in 2 shards, shared by the tests of this class. */
  static Path data;
  static Path index;

  @BeforeAll
  static void indexOnce() throws Exception {
    ParallaxFunctions.register(spark);
    if (index != null) {
      return;
    }
    Path dir = Files.createTempDirectory("parallax-sql-functions");
    data = dir.resolve("data");
    assertEquals(0, cli("datagen", "retrieval", "--out", data.toString(), "--scale", "60")
        .status());
    index = dir.resolve("index");
    Run built = cli("retrieval", "index", "--corpus", data.resolve("corpus").toString(),
        "--format", "jsonl", "--shards", "2", "--retrievers", "bm25,e5", "--out",
        index.toString());
    assertEquals(0, built.status(), built.err());
    spark.read().json(data.resolve("qa").toString()).createOrReplaceTempView("qa");
    spark.read().json(data.resolve("corpus").toString()).createOrReplaceTempView("corpus");
  }

  private static Row one(String sql) {
    return spark.sql(sql).first();
  }

  @Test
  void answerScoresAreSearchR1sRulesOnLiteralsNullsAndEmptyArrays() {
    // {expression, expected value (null: SQL NULL)}
    Object[][] cases = {
      {"parallax_em('The Eiffel Tower', array('eiffel tower'))", 1.0},
      {"parallax_em('Eiffel', array('eiffel tower', 'paris'))", 0.0},
      {"parallax_subem('it is the Eiffel Tower!', array('eiffel tower'))", 1.0},
      {"parallax_subem('Eiffel', array('eiffel tower'))", 0.0},
      {"parallax_f1('the eiffel tower in paris', array('Eiffel Tower'))", 2 * 0.5 * 1 / 1.5},
      {"parallax_f1('', array('x'))", 0.0},
      {"parallax_em(NULL, array('x'))", null},
      {"parallax_em('x', NULL)", null},
      {"parallax_em('x', array())", null},
      {"parallax_f1('x', CAST(array() AS array<string>))", null},
      {"parallax_normalize_answer('  The  Eiffel-Tower, (Paris)! ')", "eiffeltower paris"},
      {"parallax_normalize_answer('')", ""},
      {"parallax_normalize_answer(NULL)", null},
    };
    for (Object[] c : cases) {
      Row r = one("SELECT " + c[0]);
      assertEquals(c[1], r.isNullAt(0) ? null : r.get(0), (String) c[0]);
    }
  }

  @Test
  void answerScoresEqualRolloutEvalsColumns() {
    Path out = data.resolve("../rollout");
    Run run = cli("rollout", "eval", "--questions", data.resolve("qa").toString(), "--format",
        "jsonl", "--index", index.toString(), "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    spark.read().parquet(out.resolve("rollouts").toString()).createOrReplaceTempView("rollouts");
    List<Row> rows = spark.sql("SELECT id, em, subem, f1, parallax_em(answer, golden_answers), "
        + "parallax_subem(answer, golden_answers), parallax_f1(answer, golden_answers) "
        + "FROM rollouts WHERE answer IS NOT NULL").collectAsList();
    assertTrue(rows.size() >= 5, "answered rollouts: " + rows.size());
    double em = 0;
    for (Row r : rows) {
      for (int i = 1; i <= 3; i++) {
        assertEquals(r.get(i), r.get(i + 3), r.toString());
      }
      em += r.getDouble(1);
    }
    assertTrue(em > 0, "some answers are exact matches");
  }

  @Test
  void searchEqualsRetrievalSearchForEveryRetriever() {
    for (String retriever : List.of("bm25", "e5", "hybrid")) {
      Path out = data.resolve("../search-" + retriever);
      Run run = cli("retrieval", "search", "--index", index.toString(), "--queries",
          data.resolve("qa").toString(), "--format", "jsonl", "--k", "5", "--retriever",
          retriever, "--out", out.toString());
      assertEquals(0, run.status(), run.err());
      List<Row> expected = spark.read().parquet(out.resolve("results").toString())
          .selectExpr("query_id", "rank", "doc_id", "score", "contents")
          .orderBy("query_id", "rank").collectAsList();
      List<Row> got = spark.sql("SELECT id, pos + 1, hit.id, hit.score, hit.contents FROM qa "
          + "LATERAL VIEW posexplode(parallax_search('" + index + "', question, 5, '"
          + retriever + "')) AS pos, hit").orderBy("id", "pos").collectAsList();
      assertTrue(expected.size() >= 40, retriever + ": " + expected.size());
      assertEquals(expected, got, retriever);
    }
  }

  @Test
  void searchOfNullAndEmptyQueriesAndK() {
    String f = "parallax_search('" + index + "', ";
    assertTrue(one("SELECT " + f + "NULL, 3)").isNullAt(0));
    assertTrue(one("SELECT " + f + "'paris', NULL)").isNullAt(0));
    assertEquals(0, one("SELECT size(" + f + "'', 3))").getInt(0), "no terms, no hits");
    assertEquals(0, one("SELECT size(" + f + "'the of a', 3))").getInt(0), "stop words only");
    assertEquals(3, one("SELECT size(" + f + "question, 3, 'e5')) FROM qa LIMIT 1").getInt(0));
  }

  @Test
  void embedEqualsThePassageVectorsOfTheIndexJob() throws Exception {
    Map<String, float[]> stored = new HashMap<>();
    JsonNode dense = json(index.resolve("manifest.json")).get("dense");
    for (JsonNode s : dense.get("shardList")) {
      try (DenseShard d = new DenseShard(index.resolve(s.get("path").asText()), 384)) {
        for (int r = 0; r < d.size(); r++) {
          stored.put(d.id(r), d.vector(r));
        }
      }
    }
    List<Row> rows = spark.sql("SELECT id, parallax_embed(contents, 'passage') FROM corpus")
        .collectAsList();
    assertEquals(stored.size(), rows.size());
    for (Row r : rows) {
      List<Float> v = r.getList(1);
      float[] got = new float[v.size()];
      for (int i = 0; i < got.length; i++) {
        got[i] = v.get(i);
      }
      assertArrayEquals(stored.get(r.getString(0)), got, r.getString(0));
    }
    Row q = one("SELECT parallax_embed('who wrote hamlet'), parallax_embed('who wrote hamlet', "
        + "'query'), parallax_embed('who wrote hamlet', 'passage'), parallax_embed(NULL)");
    assertEquals(q.getList(0), q.getList(1), "query is the default kind");
    assertTrue(!q.getList(0).equals(q.getList(2)), "the prefix is part of the text embedded");
    assertEquals(384, q.getList(0).size());
    assertNull(q.get(3));
  }

  @Test
  void wrongPathsAndArgumentsFailWithOneLineNamingTheFunctionAndArgument() {
    String missing = data.resolve("no-such-index").toString();
    // {sql, what the one-line message must contain}
    String[][] cases = {
      {"SELECT parallax_search('" + missing + "', 'q', 3)",
          "parallax_search: index '" + missing + "': index " + missing + " has no manifest.json"},
      {"SELECT parallax_search('" + index + "', 'q', 3, 'splade')",
          "parallax_search: retriever must be bm25, e5 or hybrid, got 'splade'"},
      {"SELECT parallax_search(question, 'q', 3) FROM qa",
          "parallax_search: index must be a constant string"},
      {"SELECT parallax_search('" + index + "', 'q')",
          "parallax_search takes 3 or 4 arguments (index, query, k[, retriever]), got 2"},
      {"SELECT parallax_embed('x', 'document')",
          "parallax_embed: kind must be query or passage, got 'document'"},
      {"SELECT parallax_em('x')", "parallax_em takes 2 arguments (prediction, golden_answers)"},
    };
    for (String[] c : cases) {
      Exception e = assertThrows(Exception.class, () -> spark.sql(c[0]).collect(), c[0]);
      assertTrue(e.getMessage().startsWith(c[1]), c[0] + " -> " + e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
    Exception k = assertThrows(Exception.class, () -> spark.sql("SELECT parallax_search('"
        + index + "', 'paris', 0)").collect());
    assertTrue(rootMessage(k).startsWith("parallax_search: k must be in [1, 10000], got 0"),
        rootMessage(k));
    String key = "spark.parallax.encoder";
    spark.conf().set(key, missing);
    try {
      Exception e = assertThrows(Exception.class, () -> spark.sql("SELECT parallax_embed('x')")
          .collect());
      assertTrue(e.getMessage().startsWith("parallax_embed: " + key + " '" + missing + "': "),
          e.getMessage());
      assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    } finally {
      spark.conf().unset(key);
    }
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e.getMessage();
  }
}
