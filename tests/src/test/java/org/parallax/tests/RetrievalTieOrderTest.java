package org.parallax.tests;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check of tie order: a corpus where every passage appears 5 times under other
 * ids, indexed as 4 shards with {@code --ram-buffer-mb 1} (each shard flushed several times and
 * merged) and as 1 shard: every query's top 10 is the same, ids in order and scores.
 */
class RetrievalTieOrderTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void fourFlushedShardsAnswerAsOneShardOnFiveFoldDuplicates() throws Exception {
    Random r = new Random(26);
    String[] vocab = new String[500];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = "t" + Integer.toString(i * 37 + 11, 36);
    }
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(i);
    }
    java.util.Collections.shuffle(ids, r);
    List<String> corpus = new ArrayList<>();
    for (int d = 0; d < 2000; d++) {
      StringBuilder text = new StringBuilder("\"Entry " + d % 300 + "\"\n");
      for (int i = 300 + r.nextInt(200); i > 0; i--) {
        text.append(vocab[(int) Math.min(vocab.length - 1, Math.abs(r.nextGaussian()) * 90)])
            .append(' ');
      }
      for (int c = 0; c < 5; c++) {
        corpus.add(JSON.createObjectNode().put("id", "doc" + ids.get(d * 5 + c))
            .put("contents", text.toString()).toString());
      }
    }
    java.util.Collections.shuffle(corpus, r);
    List<String> queries = new ArrayList<>();
    for (int q = 0; q < 300; q++) {
      queries.add(JSON.createObjectNode().put("id", "q" + q).put("question",
          vocab[r.nextInt(80)] + " " + vocab[r.nextInt(300)] + " " + vocab[r.nextInt(30)])
          .toString());
    }
    Path c = tmp.resolve("corpus.jsonl");
    Path q = tmp.resolve("queries.jsonl");
    Files.write(c, corpus, StandardCharsets.UTF_8);
    Files.write(q, queries, StandardCharsets.UTF_8);

    List<List<Row>> one = topTen(c, q, "1", "256");
    List<List<Row>> four = topTen(c, q, "4", "1");
    assertEquals(300, one.size());
    int tied = 0;
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i), four.get(i), "query q" + i);
      for (int k = 1; k < one.get(i).size(); k++) {
        tied += one.get(i).get(k).getFloat(2) == one.get(i).get(k - 1).getFloat(2) ? 1 : 0;
      }
    }
    assertTrue(tied > 1500, "tied neighbours in the top 10s: " + tied);
  }

  /** Each query's (rank, doc_id, score) rows, queries in id order. */
  private List<List<Row>> topTen(Path corpus, Path queries, String shards, String ramMb)
      throws Exception {
    Path index = tmp.resolve("index-" + shards);
    Run built = cli("retrieval", "index", "--corpus", corpus.toString(), "--format", "jsonl",
        "--shards", shards, "--ram-buffer-mb", ramMb, "--out", index.toString());
    assertEquals(0, built.status(), built.err());
    for (JsonNode s : json(index.resolve("manifest.json")).get("shardList")) {
      // The one segment left is a merge of the flushed ones (segment _0 when nothing merged).
      String name = SegmentInfos.readLatestCommit(FSDirectory.open(index.resolve(
          s.get("path").asText()))).info(0).info.name;
      System.out.println("RetrievalTieOrderTest " + shards + " shards, --ram-buffer-mb " + ramMb
          + ": " + s.get("path").asText() + " is segment " + name);
      assertEquals(ramMb.equals("1"), !name.equals("_0"), s + ": " + name);
    }
    Path out = tmp.resolve("search-" + shards);
    Run searched = cli("retrieval", "search", "--index", index.toString(), "--queries",
        queries.toString(), "--format", "jsonl", "--k", "10", "--out", out.toString());
    assertEquals(0, searched.status(), searched.err());
    List<List<Row>> byQuery = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byQuery.add(new ArrayList<>());
    }
    for (Row row : spark.read().parquet(out.resolve("results").toString())
        .select(col("query_id"), col("rank"), col("doc_id"), col("score"))
        .orderBy("query_id", "rank").collectAsList()) {
      byQuery.get(Integer.parseInt(row.getString(0).substring(1)))
          .add(org.apache.spark.sql.RowFactory.create(row.get(1), row.get(2), row.get(3)));
    }
    return byQuery;
  }
}
