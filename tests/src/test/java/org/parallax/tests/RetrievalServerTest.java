package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.parallax.common.JobReport;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.RetrievalServer;
import org.parallax.retrieval.ShardedIndex;

/** The Search-R1 retrieval API over a real socket on loopback. */
class RetrievalServerTest extends SparkTestBase {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void answersSearchR1RequestsAndRejectsBadOnes() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "retrieval", "--out", data.toString(), "--scale", "1000")
        .status());
    Path index = tmp.resolve("index");
    assertEquals(0, cli("retrieval", "index", "--corpus", data.resolve("corpus").toString(),
        "--format", "jsonl", "--shards", "3", "--out", index.toString()).status());
    try (ShardedIndex idx = RetrievalServer.open(index.toString(), new Configuration(), null);
        RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0, 4)) {
      String base = "http://127.0.0.1:" + server.port();
      String question = spark.read().json(data.resolve("qa").toString()).first()
          .getAs("question");

      JsonNode ok = post(base, "{\"queries\": [" + JobReport.json().writeValueAsString(question)
          + ", \"the of\"], \"topk\": 3, \"return_scores\": true}", 200);
      JsonNode result = ok.get("result");
      assertEquals(2, result.size());
      assertEquals(3, result.get(0).size());
      List<Hit> expected = idx.search(question, 3);
      for (int i = 0; i < 3; i++) {
        JsonNode item = result.get(0).get(i);
        assertEquals(List.of("document", "score"), fieldNames(item));
        assertEquals(List.of("id", "contents"), fieldNames(item.get("document")));
        assertEquals(expected.get(i).docId(), item.get("document").get("id").asText());
        assertEquals(expected.get(i).contents(), item.get("document").get("contents").asText());
        assertEquals(expected.get(i).score(), item.get("score").floatValue(), 1e-6);
      }
      assertEquals(0, result.get(1).size(), "a stop-word query gets an empty list");

      JsonNode noScores = post(base, "{\"queries\": [\"born\"], \"topk\": 2}", 200);
      // Search-R1's shape without scores: the passages themselves.
      assertEquals(List.of("id", "contents"), fieldNames(noScores.get("result").get(0).get(0)));
      assertEquals(3, post(base, "{\"queries\": [\"born\"]}", 200).get("result").get(0).size(),
          "topk defaults to 3");

      assertTrue(post(base, "not json", 400).get("error").asText().contains("not JSON"));
      assertTrue(post(base, "{\"query\": \"x\"}", 400).get("error").asText()
          .contains("\"queries\""));
      assertTrue(post(base, "{\"queries\": [1, 2]}", 400).get("error").asText()
          .contains("list of strings"));
      assertEquals(3, post(base, "{\"queries\": [\"born\"], \"topk\": 0}", 200).get("result")
          .get(0).size(), "topk 0 is the default, as Search-R1's `if not request.topk`");
      assertTrue(post(base, "{\"queries\": [\"x\"], \"topk\": -1}", 400).get("error").asText()
          .contains("topk"));
      assertTrue(post(base, "{\"queries\": [\"x\"], \"return_scores\": \"yes\"}", 400)
          .get("error").asText().contains("return_scores"));

      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode());
      JsonNode h = JobReport.parse(health.body());
      assertEquals(1000, h.get("documents").asLong());
      assertEquals(3, h.get("shards").asInt());
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).GET()
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
      assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/retrieve")).GET()
          .build(), HttpResponse.BodyHandlers.ofString()).statusCode());

      // Concurrent clients get the same answers as one client.
      ExecutorService clients = Executors.newFixedThreadPool(8);
      List<Future<JsonNode>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(clients.submit(() -> post(base, "{\"queries\": ["
            + JobReport.json().writeValueAsString(question) + "], \"topk\": 3, "
            + "\"return_scores\": true}", 200)));
      }
      for (Future<JsonNode> f : answers) {
        assertEquals(ok.get("result").get(0), f.get().get("result").get(0));
      }
      clients.shutdown();
      assertFalse(server.queriesServed() < 44);
    }
  }

  private JsonNode post(String base, String body, int status) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/retrieve"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    return JobReport.parse(r.body());
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
