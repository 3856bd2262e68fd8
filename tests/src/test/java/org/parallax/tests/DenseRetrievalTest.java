package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.parallax.common.JobReport;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.OpenedIndex;
import org.parallax.retrieval.ReciprocalRankFusion;
import org.parallax.retrieval.RetrievalServer;
import org.parallax.retrieval.RetrieverChoice;
import org.parallax.retrieval.dense.BundledE5;
import org.parallax.retrieval.dense.DenseMath;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.retrieval.dense.E5Encoder;

/**
 * Dense and hybrid retrieval through the CLI: an index with e5 shards beside the BM25 shards,
 * the e5 search equal to a brute-force scan of every stored embedding, its HNSW variant finding
 * the same passages with the same scores, the hybrid search equal to
 * the reciprocal rank fusion of the two rankings, the server and rollouts on e5/hybrid, and
 * answer recall of all three retrievers on generated data and on the HotpotQA sample.
 */
class DenseRetrievalTest extends SparkTestBase {
  private static final int K = 10;

  @Test
  void e5EqualsBruteForceAndHybridEqualsFusionOnGeneratedCorpus() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "retrieval", "--out", data.toString(), "--scale", "120")
        .status());
    Path index = tmp.resolve("index");
    Run built = cli(true, "retrieval", "index", "--corpus", data.resolve("corpus").toString(),
        "--format", "jsonl", "--shards", "2", "--retrievers", "bm25,e5", "--dense-index", "hnsw",
        "--out", index.toString());
    assertEquals(0, built.status(), built.err());
    assertTrue(built.err().contains("passages/s"), "encoding progress line: " + built.err());
    JsonNode dense = json(index.resolve("manifest.json")).get("dense");
    assertEquals(BundledE5.NAME, dense.get("encoder").asText());
    assertEquals(384, dense.get("dimension").asInt());
    assertEquals(BundledE5.fingerprint(), dense.get("fingerprint").asText());
    assertEquals(2, dense.get("shardList").size());
    assertTrue(dense.get("hnswRecallAt10").asDouble() >= 0.9, dense.toString());

    Path qa = data.resolve("qa");
    Map<String, List<Row>> e5 = search(index, qa, "e5", K);
    Map<String, List<Row>> hybrid = search(index, qa, "hybrid", K);
    Map<String, List<Row>> approximate = search(index, qa, "e5", K, "--dense-search", "hnsw");
    long found = 0;

    // e5: brute force over every stored embedding, queries encoded here with the same model.
    List<String> ids = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode s : dense.get("shardList")) {
      try (DenseShard d = new DenseShard(index.resolve(s.get("path").asText()), 384)) {
        for (int r = 0; r < d.size(); r++) {
          ids.add(d.id(r));
          vectors.add(d.vector(r));
        }
      }
    }
    assertEquals(120, ids.size());
    E5Encoder encoder = E5Encoder.get(BundledE5.directory(), BundledE5.fingerprint(), 1);
    List<Row> questions = spark.read().json(qa.toString()).orderBy("id").collectAsList();
    assertTrue(questions.size() >= 5);
    try (OpenedIndex bm25Index = OpenedIndex.open(index.toString(), new Configuration(), null,
        RetrieverChoice.BM25);
        OpenedIndex e5Index = OpenedIndex.open(index.toString(), new Configuration(), null,
            new RetrieverChoice("e5", 60))) {
      for (Row q : questions) {
        String id = q.getAs("id");
        float[] v = encoder.encode(List.of(q.<String>getAs("question")), E5Encoder.QUERY, 1)[0];
        List<Hit> all = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
          all.add(new Hit(ids.get(i), DenseMath.dot(v, vectors.get(i), 0, 384), null));
        }
        all.sort(Comparator.comparing(Hit::score, Comparator.reverseOrder())
            .thenComparing(Hit::docId));
        List<Row> got = e5.get(id);
        assertEquals(K, got.size(), id);
        for (int i = 0; i < K; i++) {
          assertEquals(all.get(i).docId(), got.get(i).getAs("doc_id"), id + " @" + i);
          assertEquals(all.get(i).score(), got.get(i).<Float>getAs("score"), 0f, id + " @" + i);
        }
        // e5 through the HNSW graphs: the exact top 10 found, each with its exact inner product.
        Map<String, Float> exactScore = new TreeMap<>();
        all.forEach(hit -> exactScore.put(hit.docId(), hit.score()));
        for (Row row : approximate.get(id)) {
          assertEquals(exactScore.get(row.<String>getAs("doc_id")), row.<Float>getAs("score"), 0f,
              id + " hnsw " + row.getAs("doc_id"));
          found += all.subList(0, K).stream().anyMatch(hit -> hit.docId().equals(
              row.getAs("doc_id"))) ? 1 : 0;
        }
        // hybrid: the fusion of the two rankings, each read 50 deep (in process, same shards).
        List<Hit> fused = ReciprocalRankFusion.fuse(List.of(
            bm25Index.search(q.<String>getAs("question"), 50),
            e5Index.search(q.<String>getAs("question"), 50)), ReciprocalRankFusion.DEFAULT_K, K);
        List<Row> h = hybrid.get(id);
        assertEquals(fused.size(), h.size(), id);
        for (int i = 0; i < fused.size(); i++) {
          assertEquals(fused.get(i).docId(), h.get(i).getAs("doc_id"), id + " hybrid @" + i);
          assertEquals(fused.get(i).score(), h.get(i).<Float>getAs("score"), 1e-7f, id);
          assertEquals(fused.get(i).contents(), h.get(i).getAs("contents"), id);
        }
      }
    }
    assertTrue(found >= 0.95 * K * questions.size(), "hnsw recall@10: " + found + " of "
        + K * questions.size());
    // The server's way to the graphs: the whole index opened in this process.
    try (OpenedIndex graphs = OpenedIndex.open(index.toString(), new Configuration(), null,
        new RetrieverChoice("e5", 60, "hnsw", 100))) {
      for (Row q : questions.subList(0, 3)) {
        List<Hit> got = graphs.search(q.getAs("question"), K);
        List<Row> want = approximate.get(q.<String>getAs("id"));
        assertEquals(want.size(), got.size());
        for (int i = 0; i < got.size(); i++) {
          assertEquals(want.get(i).<String>getAs("doc_id"), got.get(i).docId());
          assertEquals(want.get(i).<Float>getAs("score"), got.get(i).score(), 0f);
        }
      }
    }
    Map<String, Double> recall = new TreeMap<>();
    for (String r : List.of("e5-10", "hybrid-10")) {
      recall.put(r, report(tmp.resolve("search-" + r)).get("metrics").get("recall@" + K)
          .asDouble());
    }
    System.out.println("DenseRetrievalTest generated recall@" + K + ": " + recall);
    assertTrue(recall.get("hybrid-10") >= 0.8, recall.toString());

    served(index, questions.subList(0, 5), hybrid);
    Path rollouts = tmp.resolve("rollouts");
    Run rolled = cli("rollout", "eval", "--questions", qa.toString(), "--format", "jsonl",
        "--index", index.toString(), "--mode", "rag", "--policy", "extractive", "--retriever",
        "hybrid", "--out", rollouts.toString());
    assertEquals(0, rolled.status(), rolled.err());
    assertTrue(report(rollouts).get("metrics").get("overall").get("em").asDouble() > 0.5,
        report(rollouts).get("metrics").toString());

    // The same index as an older or BM25-only build would write it: no dense entry.
    Path plain = tmp.resolve("bm25-only");
    Files.createDirectories(plain);
    com.fasterxml.jackson.databind.node.ObjectNode m =
        (com.fasterxml.jackson.databind.node.ObjectNode) json(index.resolve("manifest.json"));
    m.remove("dense");
    Files.writeString(plain.resolve("manifest.json"), m.toString());
    Run refused = cli("retrieval", "search", "--index", plain.toString(), "--queries",
        qa.toString(), "--format", "jsonl", "--retriever", "e5", "--out",
        tmp.resolve("refused").toString());
    assertEquals(1, refused.status());
    assertTrue(refused.err().contains("--retrievers bm25,e5"), refused.err());
  }

  /**
   * POST /retrieve on a hybrid server answers what the batch search wrote, for several queries
   * in one request (searched in slices of up to 3 on 2 threads, each slice as one batch).
   */
  private void served(Path index, List<Row> questions, Map<String, List<Row>> expected)
      throws Exception {
    try (OpenedIndex idx = OpenedIndex.open(index.toString(), new Configuration(), null,
        new RetrieverChoice("hybrid", 60));
        RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0, 2)) {
      ArrayNode queries = JobReport.json().createArrayNode();
      questions.forEach(q -> queries.add(q.<String>getAs("question")));
      String body = "{\"queries\": " + queries + ", \"topk\": 3, \"return_scores\": true}";
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port() + "/retrieve"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      JsonNode result = JobReport.parse(r.body()).get("result");
      assertEquals(questions.size(), result.size());
      for (int q = 0; q < questions.size(); q++) {
        List<Row> want = expected.get(questions.get(q).<String>getAs("id"));
        JsonNode list = result.get(q);
        assertEquals(3, list.size());
        for (int i = 0; i < 3; i++) {
          assertEquals(want.get(i).<String>getAs("doc_id"),
              list.get(i).get("document").get("id").asText(), "query " + q + " @" + i);
          assertEquals(want.get(i).<Float>getAs("score"), list.get(i).get("score").floatValue(),
              1e-7f);
        }
      }
    }
  }

  @Test
  void recallOfAllRetrieversOnHotpotQaWithEncoderDirectory() throws Exception {
    // The first 15 questions (150 paragraphs) keep the CPU encoding within seconds.
    JsonNode all = JobReport.parse(Files.readString(bundledData().resolve(
        "hotpotqa/hot" + "pot_dev_distractor_v1.first53.json")));
    ArrayNode first = JobReport.json().createArrayNode();
    for (int i = 0; i < 15; i++) {
      first.add(all.get(i));
    }
    Path input = tmp.resolve("hotpot15.json");
    Files.writeString(input, first.toString());
    Path hq = tmp.resolve("hotpotqa");
    assertEquals(0, cli("retrieval", "import-hotpotqa", "--input", input.toString(), "--out",
        hq.toString()).status());
    // A user's model directory: here the bundled model's two files under other names' dir.
    Path model = tmp.resolve("my-e5");
    Files.createDirectories(model);
    Files.copy(BundledE5.directory().resolve("model.onnx"), model.resolve("e5.onnx"));
    Files.copy(BundledE5.directory().resolve("tokenizer.json"), model.resolve("tokenizer.json"));
    Path index = tmp.resolve("index");
    Run built = cli(true, "retrieval", "index", "--corpus", hq.resolve("corpus").toString(),
        "--format", "jsonl", "--shards", "2", "--retrievers", "bm25,e5", "--encoder",
        model.toString(), "--out", index.toString());
    assertEquals(0, built.status(), built.err());
    JsonNode dense = json(index.resolve("manifest.json")).get("dense");
    assertEquals("my-e5", dense.get("encoder").asText());
    assertTrue(dense.get("encoderUri").asText().endsWith("my-e5"), dense.toString());
    Map<String, Double> recall = new TreeMap<>();
    for (String r : List.of("bm25", "e5", "hybrid")) {
      search(index, hq.resolve("qa"), r, 5);
      recall.put(r, report(tmp.resolve("search-" + r + "-5")).get("metrics").get("recall@5")
          .asDouble());
    }
    System.out.println("DenseRetrievalTest HotpotQA (15 questions) recall@5: " + recall);
    Run noGraphs = cli("retrieval", "search", "--index", index.toString(), "--queries",
        hq.resolve("qa").toString(), "--format", "jsonl", "--retriever", "e5", "--dense-search",
        "hnsw", "--out", tmp.resolve("no-graphs").toString());
    assertEquals(1, noGraphs.status());
    assertTrue(noGraphs.err().contains(index.toString())
        && noGraphs.err().contains("--dense-index hnsw"), noGraphs.err());
    assertTrue(recall.get("e5") > 0.3, recall.toString());
    assertTrue(recall.get("hybrid") >= Math.min(recall.get("bm25"), recall.get("e5")),
        recall.toString());
  }

  private Map<String, List<Row>> search(Path index, Path qa, String retriever, int k,
      String... more) {
    Path out = tmp.resolve("search-" + retriever + "-" + k + String.join("", more));
    List<String> args = new ArrayList<>(List.of("retrieval", "search", "--index",
        index.toString(), "--queries", qa.toString(), "--format", "jsonl", "--k",
        Integer.toString(k), "--retriever", retriever, "--out", out.toString()));
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
