package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Users' own embeddings through the CLI, on the fixtures of {@code user-vectors/} (written by
 * faiss-cpu, numpy and pyarrow with its {@code make_fixtures.py}): {@code retrieval index
 * --vectors} from the FAISS IndexFlatIP file, from the same matrix as {@code .npy} and from
 * Parquet id, vector in shuffled order builds byte-identical dense shards; {@code retrieval search
 * --query-vectors} over them returns FAISS's own top 5 (pinned in {@code faiss_top5.json}: the
 * same ids in the same order, scores within float rounding of FAISS's BLAS sums). Mismatched
 * counts and text queries against imported embeddings fail with one line; {@code --no-contents}
 * writes the same ids and scores without the contents.
 */
class UserVectorsTest extends SparkTestBase {
  private static final String[] FILES = {"corpus.jsonl", "queries.jsonl", "passages.index",
      "passages.npy", "passages.parquet", "queries.npy", "faiss_top5.json"};
  private Path fixtures;

  @BeforeEach
  void copyFixtures() throws Exception {
    fixtures = tmp.resolve("fixtures");
    Files.createDirectories(fixtures);
    for (String f : FILES) {
      try (InputStream in = getClass().getResourceAsStream("/user-vectors/" + f)) {
        Files.copy(in, fixtures.resolve(f));
      }
    }
  }

  /** One CLI scenario (each index build is a Spark job: kept to what the checks need). */
  @Test
  void faissIndexNumpyAndParquetGiveTheSameShardsAndFaissResults() throws Exception {
    JsonNode pinned = json(fixtures.resolve("faiss_top5.json"));
    String firstShards = null;
    Path first = null;
    for (String source : new String[] {"passages.index", "passages.npy", "passages.parquet"}) {
      Path index = index(source);
      JsonNode dense = json(index.resolve("manifest.json")).get("dense");
      assertEquals("imported", dense.get("encoder").asText());
      assertEquals(12, dense.get("dimension").asInt());
      StringBuilder checksums = new StringBuilder();
      dense.get("shardList").forEach(s -> checksums.append(s.get("checksum").asText()));
      if (firstShards == null) {
        firstShards = checksums.toString();
        first = index;
      } else {
        assertEquals(firstShards, checksums.toString(), source + ": dense shards differ");
      }
    }
    // Same shards (checksums) give the same results: search the first index.
    Map<String, List<Row>> got = search(first, "e5", "--query-vectors",
        fixtures.resolve("queries.npy").toString());
    assertEquals(8, got.size());
    for (Map.Entry<String, List<Row>> e : got.entrySet()) {
      JsonNode want = pinned.get(e.getKey());
      assertEquals(5, e.getValue().size(), e.getKey());
      for (int i = 0; i < 5; i++) {
        Row row = e.getValue().get(i);
        assertEquals(want.get(i).get("id").asText(), row.getAs("doc_id"), e.getKey() + " @" + i);
        assertEquals(want.get(i).get("score").asDouble(), row.<Float>getAs("score"), 1e-6,
            e.getKey() + " @" + i);
        assertTrue(row.<String>getAs("contents").startsWith("\"Passage "), row.toString());
      }
    }
    noContentsKeepsIdsAndScores(got, search(first, "e5", "--no-contents", "--query-vectors",
        fixtures.resolve("queries.npy").toString()));
    noContentsKeepsIdsAndScores(search(first, "bm25"), search(first, "bm25", "--no-contents"));
    mismatchesFailWithOneLine(first);
  }

  /** {@code --no-contents}: the same (query, rank, id, score) rows, without the contents. */
  private static void noContentsKeepsIdsAndScores(Map<String, List<Row>> full,
      Map<String, List<Row>> ids) {
    assertEquals(full.keySet(), ids.keySet());
    assertTrue(full.size() >= 4, full.toString());
    for (String q : full.keySet()) {
      assertEquals(full.get(q).size(), ids.get(q).size(), q);
      for (int i = 0; i < full.get(q).size(); i++) {
        Row a = full.get(q).get(i);
        Row b = ids.get(q).get(i);
        assertFalse(List.of(b.schema().fieldNames()).contains("contents"), b.toString());
        assertTrue(List.of(a.schema().fieldNames()).contains("contents"), a.toString());
        assertEquals(List.of(a.getAs("rank"), a.getAs("doc_id"), a.getAs("score")),
            List.of(b.getAs("rank"), b.getAs("doc_id"), b.getAs("score")), q);
      }
    }
  }

  private void mismatchesFailWithOneLine(Path index) {
    // 8 query rows, but the passages' matrix has 60
    Run count = cli("retrieval", "search", "--index", index.toString(), "--queries",
        fixtures.resolve("queries.jsonl").toString(), "--retriever", "e5", "--query-vectors",
        fixtures.resolve("passages.npy").toString(), "--out", tmp.resolve("bad1").toString());
    assertEquals(1, count.status(), count.err());
    assertTrue(count.err().contains("has 60 rows but"), count.err());
    Run text = cli("retrieval", "search", "--index", index.toString(), "--queries",
        fixtures.resolve("queries.jsonl").toString(), "--retriever", "e5", "--out",
        tmp.resolve("bad2").toString());
    assertEquals(1, text.status(), text.err());
    assertTrue(text.err().contains("give the queries' embeddings with --query-vectors"),
        text.err());
    Run bm25 = cli("retrieval", "search", "--index", index.toString(), "--queries",
        fixtures.resolve("queries.jsonl").toString(), "--query-vectors",
        fixtures.resolve("queries.npy").toString(), "--out", tmp.resolve("bad3").toString());
    assertEquals(2, bm25.status(), bm25.err());
    assertTrue(bm25.err().contains("--query-vectors needs --retriever e5"), bm25.err());
    Run corpus = cli("retrieval", "index", "--corpus", fixtures.resolve("queries.jsonl")
        .toString(), "--shards", "1", "--vectors", fixtures.resolve("passages.index").toString(),
        "--out", tmp.resolve("bad4").toString());
    assertEquals(1, corpus.status(), corpus.err());
    assertTrue(corpus.err().contains("has 60 rows but"), corpus.err());
  }

  private Path index(String source) {
    Path index = tmp.resolve("index-" + source);
    Run built = cli("retrieval", "index", "--corpus", fixtures.resolve("corpus.jsonl").toString(),
        "--shards", "3", "--vectors", fixtures.resolve(source).toString(), "--out",
        index.toString());
    assertEquals(0, built.status(), built.err());
    return index;
  }

  private Map<String, List<Row>> search(Path index, String retriever, String... more) {
    Path out = tmp.resolve("search-" + retriever + String.join("", more).replace('/', '_'));
    List<String> args = new ArrayList<>(List.of("retrieval", "search", "--index",
        index.toString(), "--queries", fixtures.resolve("queries.jsonl").toString(), "--k", "5",
        "--retriever", retriever, "--out", out.toString()));
    args.addAll(List.of(more));
    Run r = cli(args.toArray(new String[0]));
    assertEquals(0, r.status(), r.err());
    Map<String, List<Row>> byQuery = new TreeMap<>();
    for (Row row : spark.read().parquet(out.resolve("results").toString())
        .orderBy("query_id", "rank").collectAsList()) {
      byQuery.computeIfAbsent(row.getAs("query_id"), q -> new ArrayList<>()).add(row);
    }
    return byQuery;
  }
}
