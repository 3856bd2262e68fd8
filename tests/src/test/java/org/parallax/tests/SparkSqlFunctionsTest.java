package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parallax.spark.ParallaxFunctions;

/**
 * parallax's SQL functions against the jobs that compute the same things: {@code parallax_em},
 * {@code _subem}, {@code _f1} against {@code rollout eval}'s scores, {@code parallax_search}
 * against {@code retrieval search} (bm25, e5, hybrid: same passages, ranks, scores, contents),
 * {@code parallax_embed} against the passage vectors {@code retrieval index} stored; null and
 * empty inputs; wrong paths and arguments failing with one line naming the function.
 */
class SparkSqlFunctionsTest extends SparkTestBase {
  static Path index;

  @BeforeAll
  static void registerAndIndex() throws Exception {
    ParallaxFunctions.register(spark);
    index = TinyIndex.index();
    spark.read().json(TinyIndex.qa().toString()).createOrReplaceTempView("qa");
    spark.read().json(TinyIndex.corpus().toString()).createOrReplaceTempView("corpus");
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
  void answerScoresEqualRolloutEvalsColumns() throws Exception {
    spark.read().parquet(TinyIndex.rollouts().toString()).createOrReplaceTempView("rollouts");
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
  void searchEqualsRetrievalSearchForEveryRetriever() throws Exception {
    for (String retriever : List.of("bm25", "e5", "hybrid")) {
      List<Row> expected = TinyIndex.search(retriever);
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
    Map<String, float[]> stored = TinyIndex.vectors();
    List<Row> rows = spark.sql("SELECT id, parallax_embed(contents, 'passage') FROM corpus")
        .collectAsList();
    assertEquals(stored.size(), rows.size());
    for (Row r : rows) {
      assertArrayEquals(stored.get(r.getString(0)), TinyIndex.floats(r.getList(1)),
          r.getString(0));
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
    String missing = index.resolveSibling("no-such-index").toString();
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
