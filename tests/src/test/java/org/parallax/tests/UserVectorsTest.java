package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * counts and dimensions and text queries against imported embeddings fail with one line.
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

  @Test
  void faissIndexNumpyAndParquetGiveTheSameShardsAndFaissResults() throws Exception {
    JsonNode pinned = json(fixtures.resolve("faiss_top5.json"));
    byte[] firstShards = null;
    for (String source : new String[] {"passages.index", "passages.npy", "passages.parquet"}) {
      Path index = index(source);
      JsonNode dense = json(index.resolve("manifest.json")).get("dense");
      assertEquals("imported", dense.get("encoder").asText());
      assertEquals(12, dense.get("dimension").asInt());
      StringBuilder checksums = new StringBuilder();
      dense.get("shardList").forEach(s -> checksums.append(s.get("checksum").asText()));
      byte[] shards = checksums.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      if (firstShards == null) {
        firstShards = shards;
      } else {
        assertEquals(new String(firstShards), new String(shards), source + " shards");
      }
      Map<String, List<Row>> got = search(index, "--query-vectors",
          fixtures.resolve("queries.npy").toString());
      assertEquals(8, got.size(), source);
      for (Map.Entry<String, List<Row>> e : got.entrySet()) {
        JsonNode want = pinned.get(e.getKey());
        assertEquals(5, e.getValue().size(), source + " " + e.getKey());
        for (int i = 0; i < 5; i++) {
          Row row = e.getValue().get(i);
          assertEquals(want.get(i).get("id").asText(), row.getAs("doc_id"),
              source + " " + e.getKey() + " @" + i);
          assertEquals(want.get(i).get("score").asDouble(), row.<Float>getAs("score"), 1e-6,
              source + " " + e.getKey() + " @" + i);
          assertTrue(row.<String>getAs("contents").startsWith("\"Passage "), row.toString());
        }
      }
    }
  }

  @Test
  void mismatchesFailWithOneLine() {
    Path index = index("passages.npy");
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

  private Map<String, List<Row>> search(Path index, String... more) {
    Path out = tmp.resolve("search-" + index.getFileName());
    List<String> args = new ArrayList<>(List.of("retrieval", "search", "--index",
        index.toString(), "--queries", fixtures.resolve("queries.jsonl").toString(), "--k", "5",
        "--retriever", "e5", "--out", out.toString()));
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
