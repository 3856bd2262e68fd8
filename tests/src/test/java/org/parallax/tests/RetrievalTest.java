package org.parallax.tests;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.AnswerRecall;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.ShardWriter;
import org.parallax.retrieval.ShardedIndex;
import org.parallax.text.AnswerNormalizer;

/**
 * Sharded indexing and distributed search through the CLI: N = 1, 2, 7 shards give the results
 * of one Lucene index over the whole corpus (ids, order, scores), on generated data and on the
 * HotpotQA sample; bad corpus and query rows have defined outcomes.
 */
class RetrievalTest extends SparkTestBase {

  @Test
  void shardedSearchEqualsSingleIndexOnGeneratedCorpus() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "retrieval", "--out", data.toString(), "--scale", "3000")
        .status());
    Path corpus = data.resolve("corpus");
    Path qa = data.resolve("qa");
    Map<String, List<Row>> reference = singleIndexReference(corpus, qa, 10);
    for (int n : new int[] {1, 2, 7}) {
      Map<String, List<Row>> sharded = indexAndSearch(corpus, qa, n, 10);
      assertSameResults(reference, sharded, "generated, " + n + " shards");
    }
    JsonNode search = report(tmp.resolve("search-7"));
    assertRecallAsPlainSql(tmp.resolve("search-7"), qa, 10);
    assertEquals(150, search.get("counts").get("queries").asLong());
    assertTrue(search.get("metrics").get("recall@10").asDouble() > 0.9,
        "answers are planted in their gold passages: " + search.get("metrics"));
    JsonNode manifest = json(tmp.resolve("index-7/manifest.json"));
    assertEquals(7, manifest.get("shards").asInt());
    assertEquals(3000, manifest.get("documents").asLong());
    assertEquals("9.12.3", manifest.get("luceneVersion").asText());
    assertEquals(0.9, manifest.get("bm25").get("k1").asDouble(), 1e-6);
    for (JsonNode s : manifest.get("shardList")) {
      assertTrue(s.get("checksum").asText().matches("crc32:[0-9a-f]{8}"));
      assertTrue(s.get("bytes").asLong() > 0);
      assertTrue(Files.isDirectory(tmp.resolve("index-7").resolve(s.get("path").asText())));
    }
  }

  @Test
  void shardedSearchEqualsSingleIndexOnHotpotQa() throws Exception {
    Path hq = tmp.resolve("hotpotqa");
    Run imported = cli("retrieval", "import-hotpotqa", "--input",
        bundledData().resolve("hotpotqa/hot" + "pot_dev_distractor_v1.first53.json").toString(),
        "--out", hq.toString());
    assertEquals(0, imported.status(), imported.err());
    assertEquals(53, report(hq).get("counts").get("questions").asLong());
    Map<String, List<Row>> reference = singleIndexReference(hq.resolve("corpus"),
        hq.resolve("qa"), 5);
    for (int n : new int[] {1, 2, 7}) {
      Map<String, List<Row>> sharded = indexAndSearch(hq.resolve("corpus"), hq.resolve("qa"), n, 5);
      assertSameResults(reference, sharded, "hotpotqa, " + n + " shards");
    }
    JsonNode index = report(tmp.resolve("index-7"));
    // One paragraph is listed by two questions: one copy is indexed, the other quarantined.
    assertEquals(1, index.get("counts").get("duplicate_ids_quarantined").asLong());
    assertEquals(521, index.get("counts").get("documents").asLong());
    JsonNode metrics = report(tmp.resolve("search-7")).get("metrics");
    assertRecallAsPlainSql(tmp.resolve("search-7"), hq.resolve("qa"), 5);
    assertTrue(metrics.get("recall@5").asDouble() > 0.3, metrics.toString());
  }

  @Test
  void badCorpusRowsAndStopWordQueriesHaveDefinedOutcomes() throws Exception {
    Path corpus = tmp.resolve("corpus.jsonl");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      lines.add("{\"id\": \"" + i + "\", \"contents\": \"\\\"Doc " + i + "\\\"\\nalpha beta gamma "
          + (i % 10 == 0 ? "rare " : "") + "word" + i + "\"}");
    }
    lines.add("{\"id\": \"broken\", \"contents\": ");                   // malformed line
    lines.add("{\"id\": \"empty\", \"contents\": \"  \"}");               // empty contents
    lines.add("{\"id\": \"7\", \"contents\": \"\\\"Other\\\"\\nduplicate of seven\"}");
    lines.add("{\"id\": 42000, \"contents\": \"\\\"Numeric id\\\"\\nnumbers are text\"}");
    Files.write(corpus, lines);
    Path index = tmp.resolve("index");
    Run built = cli("retrieval", "index", "--corpus", corpus.toString(), "--shards", "3",
        "--out", index.toString());
    assertEquals(0, built.status(), built.err());
    JsonNode r = report(index);
    JsonNode in = r.get("inputs").get(0);
    assertEquals(304, in.get("rows").asLong());
    assertEquals(1, in.get("reasons").get("malformed").asLong());
    assertEquals(1, in.get("reasons").get("empty_contents").asLong());
    assertEquals(1, r.get("counts").get("duplicate_ids_quarantined").asLong());
    assertEquals(301, r.get("counts").get("documents").asLong());
    List<Row> dup = spark.read().json(index.resolve("_quarantine/corpus_duplicate_ids")
        .toString()).collectAsList();
    assertEquals("7", dup.get(0).getAs("id"));
    assertTrue(dup.get(0).<String>getAs("contents").contains("duplicate of seven"),
        "the kept copy is the smaller contents, \"Doc 7\"...; the other is quarantined");

    Path queries = tmp.resolve("queries.jsonl");
    Files.write(queries, List.of(
        "{\"id\": \"q1\", \"question\": \"rare alpha\", \"golden_answers\": [\"word10\"]}",
        "{\"id\": \"q2\", \"question\": \"the of and\"}",
        "{\"id\": \"q3\", \"question\": \"zzzunseen\"}",
        "{\"id\": \"q4\", \"question\": \"numbers\"}",
        "{\"id\": \"q5\", \"question\": \"   \"}"));
    Path out = tmp.resolve("search");
    Run searched = cli("retrieval", "search", "--index", index.toString(), "--queries",
        queries.toString(), "--k", "3", "--out", out.toString(), "--max-bad-fraction", "0.5");
    assertEquals(0, searched.status(), searched.err());
    JsonNode s = report(out);
    assertEquals(4, s.get("counts").get("queries").asLong());
    assertEquals(1, s.get("inputs").get(0).get("reasons").get("empty_query").asLong());
    Map<String, String> noHits = spark.read().parquet(out.resolve("no_hits").toString())
        .collectAsList().stream().collect(Collectors.toMap(x -> x.getString(0),
            x -> x.getString(1)));
    assertEquals(Map.of("q2", "no indexable terms (only stop words or punctuation)",
        "q3", "no passage matches any query term"), noHits);
    List<Row> q4 = spark.read().parquet(out.resolve("results").toString())
        .filter("query_id = 'q4'").collectAsList();
    assertEquals("42000", q4.get(0).getAs("doc_id"));
    assertEquals(3, spark.read().parquet(out.resolve("results").toString())
        .filter("query_id = 'q1'").count());
    // The counts come from the search tasks, not from a pass over the written outputs.
    assertEquals(2, s.get("counts").get("queries_without_results").asLong());
    assertEquals(spark.read().parquet(out.resolve("results").toString()).count(),
        s.get("counts").get("results").asLong());
    assertTrue(List.of(spark.read().parquet(out.resolve("results").toString()).columns())
        .contains("has_answer"), "q1 gives golden_answers");

    // Every query found, none with golden_answers: an empty no_hits/ with its columns, and
    // neither has_answer nor recall.
    Path found = tmp.resolve("found.jsonl");
    Files.write(found, List.of("{\"id\": \"a\", \"question\": \"rare alpha\"}",
        "{\"id\": \"b\", \"question\": \"word7 beta\"}",
        "{\"id\": \"c\", \"question\": \"numbers\", \"golden_answers\": null}"));
    Path foundOut = tmp.resolve("found-search");
    Run all = cli("retrieval", "search", "--index", index.toString(), "--queries",
        found.toString(), "--k", "4", "--no-contents", "--out", foundOut.toString());
    assertEquals(0, all.status(), all.err());
    JsonNode f = report(foundOut);
    assertEquals(0, f.get("counts").get("queries_without_results").asLong());
    assertEquals(9, f.get("counts").get("results").asLong(), "4 + 4 + 1 (numbers: one passage)");
    Dataset<Row> foundResults = spark.read().parquet(foundOut.resolve("results").toString());
    assertEquals(9, foundResults.count());
    assertEquals(List.of("query_id", "rank", "doc_id", "score"),
        List.of(foundResults.columns()));
    Dataset<Row> none = spark.read().parquet(foundOut.resolve("no_hits").toString());
    assertEquals(List.of("query_id", "reason"), List.of(none.columns()));
    assertEquals(0, none.count());
    assertTrue(f.get("metrics").get("recall@1") == null, f.get("metrics").toString());
  }

  @Test
  void queriesBeyondTheClauseLimitAreSearchedAndCounted() throws Exception {
    Path corpus = LongQueries.corpus(tmp.resolve("long-corpus.jsonl"));
    Path index = tmp.resolve("long-index");
    Run indexed = cli("retrieval", "index", "--corpus", corpus.toString(), "--shards", "2",
        "--out", index.toString());
    assertEquals(0, indexed.status(), indexed.err());
    Path queries = tmp.resolve("long-queries.jsonl");
    Files.write(queries, List.of(
        "{\"id\": \"cut\", \"question\": \"" + LongQueries.CUT + "\"}",
        "{\"id\": \"unknown\", \"question\": \"" + LongQueries.UNKNOWN_ONLY + "\"}",
        "{\"id\": \"short\", \"question\": \"w0003 other\"}"));
    Path out = tmp.resolve("long-search");
    Run run = cli("retrieval", "search", "--index", index.toString(), "--queries",
        queries.toString(), "--k", "3", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode counts = report(out).get("counts");
    assertEquals(2, counts.get("queries_over_clause_limit").asLong());
    assertEquals(1, counts.get("queries_cut_to_clause_limit").asLong());
    try (ShardedIndex idx = org.parallax.retrieval.RetrievalServer.open(index.toString(),
        new org.apache.hadoop.conf.Configuration(), null)) {
      Map<String, String> texts = Map.of("cut", LongQueries.CUT, "unknown",
          LongQueries.UNKNOWN_ONLY, "short", "w0003 other");
      for (Map.Entry<String, String> q : texts.entrySet()) {
        List<Row> rows = spark.read().parquet(out.resolve("results").toString())
            .filter("query_id = '" + q.getKey() + "'").orderBy("rank").collectAsList();
        List<Hit> expected = idx.search(q.getValue(), 3);
        assertEquals(q.getKey().equals("short") ? 2 : 3, expected.size(), q.getKey());
        assertEquals(expected.size(), rows.size(), q.getKey());
        for (int i = 0; i < expected.size(); i++) {
          assertEquals(expected.get(i).docId(), rows.get(i).getAs("doc_id"), q.getKey());
          assertEquals(expected.get(i).score(), rows.get(i).<Float>getAs("score"), 1e-6f);
        }
      }
      assertEquals(idx.search(LongQueries.KNOWN, 3), idx.search(LongQueries.UNKNOWN_ONLY, 3),
          "terms absent from the corpus change nothing");
    }
  }

  private Map<String, List<Row>> indexAndSearch(Path corpus, Path qa, int shards, int k) {
    Path index = tmp.resolve("index-" + shards);
    Run built = cli("retrieval", "index", "--corpus", corpus.toString(), "--format", "jsonl",
        "--shards", Integer.toString(shards), "--out", index.toString());
    assertEquals(0, built.status(), built.err());
    Path out = tmp.resolve("search-" + shards);
    Run searched = cli("retrieval", "search", "--index", index.toString(), "--queries",
        qa.toString(), "--format", "jsonl", "--k", Integer.toString(k), "--out", out.toString());
    assertEquals(0, searched.status(), searched.err());
    Map<String, List<Row>> byQuery = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve("results").toString())
        .orderBy("query_id", "rank").collectAsList()) {
      byQuery.computeIfAbsent(r.getAs("query_id"), q -> new ArrayList<>()).add(r);
    }
    return byQuery;
  }

  /**
   * One plain Lucene index over the corpus (built in id order, one passage per id as the index
   * job keeps it), searched in-process: the reference every sharded search must reproduce.
   */
  private Map<String, List<Row>> singleIndexReference(Path corpus, Path qa, int k)
      throws Exception {
    List<Row> passages = spark.read().json(corpus.toString()).groupBy("id")
        .agg(org.apache.spark.sql.functions.min("contents").as("contents")).collectAsList();
    List<String[]> docs = passages.stream()
        .map(r -> new String[] {r.<String>getAs("id"), r.<String>getAs("contents")})
        .sorted(java.util.Comparator.comparing(d -> d[0])).collect(Collectors.toList());
    Path dir = tmp.resolve("reference-" + System.nanoTime());
    ShardWriter.write(dir, docs.iterator(), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, 64);
    Map<String, List<Row>> out = new TreeMap<>();
    try (ShardedIndex single = new ShardedIndex(List.of(dir), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI)) {
      for (Row q : spark.read().json(qa.toString()).collectAsList()) {
        List<Hit> hits = single.search(q.getAs("question"), k);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < hits.size(); i++) {
          rows.add(org.apache.spark.sql.RowFactory.create(q.<String>getAs("id"), i + 1,
              hits.get(i).docId(), hits.get(i).score(), hits.get(i).contents()));
        }
        if (!rows.isEmpty()) {
          out.put(q.getAs("id"), rows);
        }
      }
    }
    return out;
  }

  /**
   * The search job's answer recall (matched in the search task, {@code has_answer}) equals the
   * straightforward computation it replaced: every result passage and gold answer normalised
   * as columns ({@link AnswerRecall#normalize}) and joined; and each row's {@code has_answer}
   * equals {@link AnswerNormalizer#containsAnswer} over the query's answers.
   */
  private void assertRecallAsPlainSql(Path search, Path qa, int k) {
    Dataset<Row> results = spark.read().parquet(search.resolve("results").toString());
    Dataset<Row> queries = spark.read().json(qa.toString()).withColumnRenamed("id", "query_id");
    Dataset<Row> gold = queries.select(col("query_id"), explode(col("golden_answers")).as("a"))
        .select(col("query_id"), AnswerRecall.normalize(col("a")).as("answer"))
        .filter(col("answer").notEqual(""));
    Dataset<Row> passages = results.select(col("query_id").as("rq"), col("rank"),
        concat(lit(" "), AnswerRecall.normalize(col("contents")), lit(" ")).as("passage"));
    Dataset<Row> firstHit = gold.join(passages, gold.col("query_id").equalTo(passages.col("rq")))
        .filter(col("passage").contains(concat(lit(" "), col("answer"), lit(" "))))
        .groupBy("query_id").agg(min("rank").as("first_rank"));
    Dataset<Row> perQuery = gold.select("query_id").distinct().join(firstHit, "query_id", "left");
    long n = perQuery.count();
    JsonNode metrics = report(search).get("metrics");
    assertEquals(n, metrics.get("queries_with_answers").asLong());
    int checked = 0;
    for (int c : AnswerRecall.CUTOFFS) {
      if (c <= k) {
        long found = perQuery.filter(col("first_rank").leq(c)).count();
        assertEquals(found / (double) n, metrics.get("recall@" + c).asDouble(), 1e-12, "@" + c);
        checked++;
      }
    }
    assertTrue(checked >= 3);
    Map<String, List<String>> answers = new TreeMap<>();
    for (Row q : queries.select("query_id", "golden_answers").collectAsList()) {
      answers.put(q.getString(0), q.isNullAt(1) ? List.of() : q.getList(1));
    }
    int withAnswer = 0;
    for (Row r : results.select("query_id", "contents", "has_answer").collectAsList()) {
      List<String> a = answers.get(r.getString(0));
      boolean any = a.stream().anyMatch(x -> !AnswerNormalizer.normalize(x).isEmpty());
      Boolean expected = any ? a.stream().anyMatch(x -> AnswerNormalizer.containsAnswer(
          r.getString(1), x)) : null;
      assertEquals(expected, r.isNullAt(2) ? null : r.getBoolean(2), r.toString());
      withAnswer += Boolean.TRUE.equals(expected) ? 1 : 0;
    }
    assertTrue(withAnswer > 0);
  }

  private static void assertSameResults(Map<String, List<Row>> expected,
      Map<String, List<Row>> actual, String what) {
    assertEquals(expected.keySet(), actual.keySet(), what + ": queries with results");
    for (String q : expected.keySet()) {
      List<Row> e = expected.get(q);
      List<Row> a = actual.get(q);
      assertEquals(e.size(), a.size(), what + " " + q);
      for (int i = 0; i < e.size(); i++) {
        assertEquals((int) e.get(i).getInt(1), a.get(i).<Integer>getAs("rank"), what);
        assertEquals(e.get(i).getString(2), a.get(i).getAs("doc_id"), what + " " + q + " @" + i);
        assertEquals(e.get(i).getFloat(3), a.get(i).<Float>getAs("score"), 1e-5f, what + " " + q);
        assertEquals(e.get(i).getString(4), a.get(i).getAs("contents"), what);
      }
    }
  }
}
