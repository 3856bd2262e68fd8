package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parallax.common.JobReport;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.RetrievalServer;
import org.parallax.retrieval.ServerLimits;
import org.parallax.retrieval.ShardWriter;
import org.parallax.retrieval.ShardedIndex;

/**
 * The retrieval server's limits over a real socket: every refusal is a JSON answer with its
 * status (400, 413, 503 with Retry-After, 500), a stalled body is cut off after the read timeout,
 * and after each the server answers the next request as before. Shards are written in the test
 * (no Spark job), so it runs in seconds.
 */
class RetrievalServerLimitsTest {
  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .build();

  private List<Path> shards(List<String[]> docs, int n) {
    List<Path> dirs = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      int shard = s;
      Path dir = tmp.resolve("shard-" + docs.size() + "-" + s);
      ShardWriter.write(dir, docs.stream().filter(d -> Math.floorMod(d[0].hashCode(), n) == shard)
          .iterator(), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, 16);
      dirs.add(dir);
    }
    return dirs;
  }

  private static List<String[]> corpus() {
    List<String[]> docs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      docs.add(new String[] {String.format("d%03d", i), "\"Doc " + i + "\"\nalpha w" + (i % 17)
          + " v" + (i % 5) + " word" + i});
    }
    return docs;
  }

  @Test
  void oversizedManyQueriesAndStalledRequestsGetJsonErrorsAndTheServerGoesOn() throws Exception {
    ServerLimits limits = new ServerLimits(2, 1, 600, 20, 1.0);
    try (ShardedIndex idx = new ShardedIndex(shards(corpus(), 2), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI);
        RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0, limits)) {
      String base = "http://127.0.0.1:" + server.port();
      // A whole turn in one request: 20 queries, answered in order as one by one.
      List<String> texts = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        texts.add("w" + i + " v" + (i % 3));
      }
      JsonNode batch = post(base, body(texts), 200);
      for (int i = 0; i < texts.size(); i++) {
        List<Hit> expected = idx.search(texts.get(i), 3);
        JsonNode list = batch.get("result").get(i);
        assertEquals(expected.size(), list.size());
        for (int j = 0; j < expected.size(); j++) {
          assertEquals(expected.get(j).docId(), list.get(j).get("document").get("id").asText());
          assertEquals(expected.get(j).score(), list.get(j).get("score").floatValue(), 1e-6);
        }
      }

      texts.add("one too many");
      assertTrue(post(base, body(texts), 400).get("error").asText()
          .contains("21 queries in one request, more than the limit of 20 (--max-queries)"));
      String big = body(List.of("x".repeat(700)));
      assertTrue(post(base, big, 413).get("error").asText().contains("--max-body-bytes"));
      // Without a Content-Length (chunked), the body is cut off once it passes the limit.
      HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(base
          + "/retrieve")).POST(HttpRequest.BodyPublishers.ofInputStream(() ->
          new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(413, chunked.statusCode(), chunked.body());
      assertTrue(JobReport.parse(chunked.body()).get("error").asText().contains("600 bytes"));

      // A client that announces 100 bytes and sends 10 is cut off after the read timeout.
      long t0 = System.nanoTime();
      try (Socket stalled = stall(server.port())) {
        int read;
        try {
          read = stalled.getInputStream().read();
        } catch (java.net.SocketException reset) {
          read = -1;
        }
        assertEquals(-1, read, "connection closed without an answer");
      }
      double waited = (System.nanoTime() - t0) / 1e9;
      assertTrue(waited >= 0.9 && waited < 10, "closed after " + waited + " s");
      JsonNode health = get(base + "/health");
      assertEquals(1, health.get("requests_timed_out").asLong());
      assertEquals(600, health.get("limits").get("max_body_bytes").asLong());
      assertEquals(batch, post(base, body(texts.subList(0, 20)), 200), "still serving");
    }
  }

  @Test
  void requestsBeyondThreadsAndQueueGet503WithRetryAfter() throws Exception {
    ServerLimits limits = new ServerLimits(1, 2, 1 << 20, 100, 20.0);
    try (ShardedIndex idx = new ShardedIndex(shards(corpus(), 1), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI);
        RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0, limits)) {
      String base = "http://127.0.0.1:" + server.port();
      // Three requests whose bodies never finish hold the one thread and the two queue places.
      List<Socket> held = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        held.add(stall(server.port()));
      }
      waitFor(base, 3);
      HttpResponse<String> busy = http.send(HttpRequest.newBuilder(URI.create(base
          + "/retrieve")).POST(HttpRequest.BodyPublishers.ofString(body(List.of("alpha"))))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, busy.statusCode(), busy.body());
      assertEquals("1", busy.headers().firstValue("Retry-After").orElse(""));
      assertEquals("application/json", busy.headers().firstValue("Content-Type").orElse(""));
      assertTrue(JobReport.parse(busy.body()).get("error").asText().contains("server busy"));
      assertEquals(1, get(base + "/health").get("requests_rejected_busy").asLong());
      for (Socket s : held) {
        s.close();
      }
      waitFor(base, 0);
      assertEquals(3, post(base, body(List.of("alpha")), 200).get("result").get(0).size());
    }
  }

  @Test
  void failuresWhileSearchingAreJson500AndTheServerStaysUp() throws Exception {
    List<Path> dirs = shards(corpus(), 2);
    ShardedIndex idx = new ShardedIndex(dirs, AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI);
    try (RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0, 2)) {
      String base = "http://127.0.0.1:" + server.port();
      assertEquals(3, post(base, body(List.of("alpha")), 200).get("result").get(0).size());
      idx.close(); // every search now fails inside Lucene
      for (int i = 0; i < 2; i++) {
        JsonNode e = post(base, body(List.of("alpha", "w3")), 500);
        assertTrue(e.get("error").asText().startsWith("internal error: "), e.toString());
      }
      JsonNode health = get(base + "/health");
      assertEquals(2, health.get("requests_failed").asLong());
      assertTrue(post(base, "[1, 2", 400).get("error").asText().contains("not JSON"));
    }
  }

  @Test
  void aQueryBeyondTheClauseLimitIsAnsweredAndCounted() throws Exception {
    try (ShardedIndex idx = new ShardedIndex(shards(LongQueries.passages(), 2),
        AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI);
        RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0, 2)) {
      String base = "http://127.0.0.1:" + server.port();
      JsonNode r = post(base, body(List.of(LongQueries.CUT, LongQueries.UNKNOWN_ONLY, "other")),
          200).get("result");
      List<Hit> expected = idx.search(LongQueries.CUT, 3);
      assertEquals(3, r.get(0).size());
      for (int j = 0; j < 3; j++) {
        assertEquals(expected.get(j).docId(), r.get(0).get(j).get("document").get("id").asText());
      }
      assertEquals(idx.search(LongQueries.KNOWN, 3).get(0).docId(),
          r.get(1).get(0).get("document").get("id").asText());
      assertEquals("p3", r.get(2).get(0).get("document").get("id").asText());
      assertEquals(1, get(base + "/health").get("queries_cut_to_clause_limit").asLong());
    }
  }

  /** A request announcing a 100-byte body and sending 10 bytes of it. */
  private static Socket stall(int port) throws Exception {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(30_000);
    OutputStream out = s.getOutputStream();
    out.write(("POST /retrieve HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"queries\"").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  private void waitFor(String base, int inProgress) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (get(base + "/health").get("requests_in_progress").asInt() != inProgress) {
      assertTrue(System.nanoTime() < deadline, "requests in progress never reached "
          + inProgress);
      Thread.sleep(20);
    }
  }

  private static String body(List<String> queries) throws Exception {
    return "{\"queries\": " + JobReport.json().writeValueAsString(queries)
        + ", \"topk\": 3, \"return_scores\": true}";
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

  private JsonNode get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return JobReport.parse(r.body());
  }
}
