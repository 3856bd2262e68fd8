package org.parallax.retrieval;

import org.parallax.common.LocalCopies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP retrieval API Search-R1's trainer calls, over any {@link Retriever} (BM25, e5, hybrid):
 * {@code POST /retrieve} with {@code {"queries": [...], "topk": 3, "return_scores": true}} answers
 * {@code {"result": [[{"document": {"id", "contents"}, "score": s}, ...], ...]}}, one list per
 * query ({@code score} left out when {@code return_scores} is false); {@code GET /health} reports
 * the index. Malformed requests get a 400 with {@code {"error": "..."}}. Requests are served by a
 * fixed pool of threads; {@link #close()} stops the server (the index stays open).
 */
public final class RetrievalServer implements Closeable {
  public static final int MAX_TOPK = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // and delayed ACKs add ~40 ms to every keep-alive request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final Retriever index;
  private final HttpServer server;
  private final ExecutorService pool;
  private final AtomicLong queries = new AtomicLong();

  public RetrievalServer(Retriever index, String host, int port, int threads)
      throws IOException {
    this.index = index;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "parallax-retrieve");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/retrieve", this::retrieve);
    server.createContext("/health", this::health);
    server.createContext("/", ex -> send(ex, 404, error("no such endpoint: " + ex.getRequestURI()
        + "; use POST /retrieve or GET /health")));
    server.start();
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public long queriesServed() {
    return queries.get();
  }

  private void retrieve(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      send(ex, 405, error("use POST /retrieve"));
      return;
    }
    JsonNode body;
    try (InputStream in = ex.getRequestBody()) {
      body = JSON.readTree(in);
    } catch (IOException e) {
      send(ex, 400, error("request body is not JSON: " + org.parallax.common.JobRunner.oneLine(e)));
      return;
    }
    String problem = validate(body);
    if (problem != null) {
      send(ex, 400, error(problem));
      return;
    }
    int topk = body.has("topk") && !body.get("topk").isNull() ? body.get("topk").asInt() : 3;
    boolean scores = body.has("return_scores") && body.get("return_scores").asBoolean();
    ObjectNode response = JSON.createObjectNode();
    ArrayNode result = response.putArray("result");
    for (JsonNode q : body.get("queries")) {
      ArrayNode list = result.addArray();
      for (Hit h : index.search(q.asText(), topk)) {
        ObjectNode item = list.addObject();
        ObjectNode doc = item.putObject("document");
        doc.put("id", h.docId());
        doc.put("contents", h.contents());
        if (scores) {
          item.put("score", h.score());
        }
      }
      queries.incrementAndGet();
    }
    send(ex, 200, response);
  }

  /** Why the request is malformed, or null when it is fine. */
  static String validate(JsonNode body) {
    if (body == null || !body.isObject()) {
      return "request body must be a JSON object with a \"queries\" list";
    }
    JsonNode qs = body.get("queries");
    if (qs == null || !qs.isArray()) {
      return "\"queries\" must be a list of strings";
    }
    for (JsonNode q : qs) {
      if (!q.isTextual()) {
        return "\"queries\" must be a list of strings, found " + q.getNodeType();
      }
    }
    JsonNode k = body.get("topk");
    if (k != null && !k.isNull() && (!k.isInt() || k.asInt() < 1 || k.asInt() > MAX_TOPK)) {
      return "\"topk\" must be an integer in [1, " + MAX_TOPK + "]";
    }
    JsonNode s = body.get("return_scores");
    if (s != null && !s.isNull() && !s.isBoolean()) {
      return "\"return_scores\" must be true or false";
    }
    return null;
  }

  private void health(HttpExchange ex) throws IOException {
    ObjectNode h = JSON.createObjectNode();
    h.put("status", "ok");
    h.put("documents", index.numDocs());
    h.put("shards", index.numShards());
    h.put("retriever", index.name());
    h.put("queries_served", queries.get());
    send(ex, 200, h);
  }

  private static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  /** Opens every shard of the index at {@code index} (copied locally if remote). */
  public static ShardedIndex open(String index, org.apache.hadoop.conf.Configuration conf,
      String localRoot) {
    IndexManifest m = IndexManifest.read(index, conf);
    List<java.nio.file.Path> dirs = new ArrayList<>();
    for (IndexManifest.Shard s : m.shardList()) {
      dirs.add(LocalCopies.localize(IndexManifest.shardPath(index, s), conf,
          localRoot == null ? LocalCopies.defaultLocalRoot() : localRoot));
    }
    return new ShardedIndex(dirs, m.analyzer(), m.bm25());
  }
}
