package org.parallax.retrieval;

import org.parallax.common.LocalCopies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP retrieval API Search-R1's trainer calls, over any {@link Retriever} (BM25, e5, hybrid):
 * {@code POST /retrieve} with {@code {"queries": [...], "topk": 3, "return_scores": true}} answers
 * {@code {"result": [[{"document": {"id", "contents"}, "score": s}, ...], ...]}}, one list per
 * query, and with {@code return_scores} false or missing the passages themselves,
 * {@code {"result": [[{"id", "contents"}, ...], ...]}}, as Search-R1's {@code retrieve_endpoint}
 * does; a {@code topk} missing, null or 0 is the server's default top k. {@code GET /health}
 * reports the index, the limits and counters; {@code POST /reload} serves an index rebuilt at
 * the served path at once (see {@link ReloadingIndex}, which also checks on its own). The queries of one request are searched in parallel on
 * {@link ServerLimits#threads()} search threads shared by all requests. Every answer is JSON:
 * a malformed request or one of more than {@link ServerLimits#maxQueries()} queries gets 400, a
 * body over {@link ServerLimits#maxBodyBytes()} 413, a request beyond
 * {@link ServerLimits#admitted()} in progress 503 with {@code Retry-After: 1}, and any failure
 * while serving 500 with {@code {"error": "..."}}; the server keeps serving. A body that does not
 * arrive within {@link ServerLimits#readTimeoutSeconds()} has its connection closed.
 * {@link #close()} stops the server (the index stays open).
 */
public final class RetrievalServer implements Closeable {
  public static final int MAX_TOPK = 1000;
  /** Passages per query when a request names no {@code topk} (Search-R1's {@code --topk}). */
  public static final int DEFAULT_TOPK = 3;
  /** Seconds a client told 503 is asked to wait. */
  public static final int RETRY_AFTER_SECONDS = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Handler threads beyond the admitted requests, so that 503s and health checks get answered. */
  private static final int SPARE_HANDLERS = 4;

  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
    // and delayed ACKs add ~40 ms to every keep-alive request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final Retriever index;
  private final ServerLimits limits;
  private final int defaultTopk;
  private final HttpServer server;
  private final ExecutorService handlers;
  private final ExecutorService searchers;
  private final ScheduledExecutorService timer;
  private final AtomicInteger inProgress = new AtomicInteger();
  private final AtomicLong queries = new AtomicLong();
  private final AtomicLong queriesCut = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong timedOut = new AtomicLong();

  /** A server with the default limits and {@code threads} search threads. */
  public RetrievalServer(Retriever index, String host, int port, int threads)
      throws IOException {
    this(index, host, port, ServerLimits.withThreads(threads));
  }

  /** A server with {@link #DEFAULT_TOPK} passages for a request that names no {@code topk}. */
  public RetrievalServer(Retriever index, String host, int port, ServerLimits limits)
      throws IOException {
    this(index, host, port, limits, DEFAULT_TOPK);
  }

  /** A server answering {@code defaultTopk} passages to a request that names no {@code topk}. */
  public RetrievalServer(Retriever index, String host, int port, ServerLimits limits,
      int defaultTopk) throws IOException {
    if (defaultTopk < 1 || defaultTopk > MAX_TOPK) {
      throw new IllegalArgumentException("--k must be in [1, " + MAX_TOPK + "], got "
          + defaultTopk);
    }
    this.index = index;
    this.limits = limits;
    this.defaultTopk = defaultTopk;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 256);
    this.handlers = Executors.newFixedThreadPool(limits.admitted() + SPARE_HANDLERS,
        daemon("parallax-http"));
    this.searchers = Executors.newFixedThreadPool(limits.threads(), daemon("parallax-retrieve"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("parallax-read-timeout"));
    server.setExecutor(handlers);
    server.createContext("/retrieve", ex -> guarded(ex, this::retrieve));
    server.createContext("/health", ex -> guarded(ex, this::health));
    server.createContext("/reload", ex -> guarded(ex, this::reload));
    server.createContext("/", ex -> guarded(ex, e -> send(e, 404, error("no such endpoint: "
        + e.getRequestURI() + "; use POST /retrieve, GET /health or POST /reload"))));
    server.start();
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public long queriesServed() {
    return queries.get();
  }

  /** Runs a handler; whatever it throws becomes a JSON 500 (if the answer has not started). */
  private void guarded(HttpExchange ex, HttpHandler handler) {
    try {
      handler.handle(ex);
    } catch (RequestBody.TimedOut e) {
      timedOut.incrementAndGet();
    } catch (Throwable t) {
      failed.incrementAndGet();
      try {
        send(ex, 500, error("internal error: " + org.parallax.common.JobRunner.oneLine(t)));
      } catch (Throwable ignored) {
        // The answer had started or the connection is gone: closing is all that is left.
      }
    } finally {
      ex.close();
    }
  }

  private void retrieve(HttpExchange ex) throws IOException {
    if (!ex.getRequestMethod().equals("POST")) {
      send(ex, 405, error("use POST /retrieve"));
      return;
    }
    if (inProgress.incrementAndGet() > limits.admitted()) {
      inProgress.decrementAndGet();
      rejected.incrementAndGet();
      discardBody(ex);
      ex.getResponseHeaders().set("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
      ex.getResponseHeaders().set("Connection", "close");
      send(ex, 503, error("server busy: " + limits.admitted() + " requests in progress (--threads "
          + limits.threads() + " + --queue " + limits.queue() + "); retry after "
          + RETRY_AFTER_SECONDS + " s"));
      return;
    }
    try {
      admitted(ex);
    } finally {
      inProgress.decrementAndGet();
    }
  }

  /**
   * Reads and drops the body of a refused request (within the size and time limits), so that
   * closing the connection does not reset it before the client has read the answer.
   */
  private void discardBody(HttpExchange ex) throws IOException {
    try {
      RequestBody.read(ex, limits.maxBodyBytes(), limits.readTimeoutSeconds(), timer);
    } catch (RequestBody.TooLarge e) {
      // Answered all the same; the rest of the body goes with the connection.
    }
  }

  private void admitted(HttpExchange ex) throws IOException {
    JsonNode body;
    try {
      body = JSON.readTree(RequestBody.read(ex, limits.maxBodyBytes(),
          limits.readTimeoutSeconds(), timer));
    } catch (RequestBody.TooLarge e) {
      ex.getResponseHeaders().set("Connection", "close");
      send(ex, 413, error(e.getMessage()));
      return;
    } catch (RequestBody.TimedOut e) {
      throw e;
    } catch (IOException e) {
      send(ex, 400, error("request body is not JSON: " + org.parallax.common.JobRunner.oneLine(e)));
      return;
    }
    String problem = validate(body, limits.maxQueries());
    if (problem != null) {
      send(ex, 400, error(problem));
      return;
    }
    // Search-R1: `if not request.topk: request.topk = config.retrieval_topk`.
    int topk = body.hasNonNull("topk") && body.get("topk").asInt() != 0
        ? body.get("topk").asInt() : defaultTopk;
    boolean scores = body.has("return_scores") && body.get("return_scores").asBoolean();
    List<String> texts = new ArrayList<>();
    body.get("queries").forEach(q -> texts.add(q.asText()));
    ObjectNode response = JSON.createObjectNode();
    ArrayNode result = response.putArray("result");
    for (ShardedIndex.Result r : searchAll(texts, topk)) {
      ArrayNode list = result.addArray();
      for (Hit h : r.hits()) {
        ObjectNode passage = JSON.createObjectNode().put("id", h.docId())
            .put("contents", h.contents());
        if (scores) {
          list.addObject().<ObjectNode>set("document", passage).put("score", h.score());
        } else {
          list.add(passage);
        }
      }
      queriesCut.addAndGet(r.droppedTerms() > 0 ? 1 : 0);
    }
    queries.addAndGet(texts.size());
    send(ex, 200, response);
  }

  /**
   * The queries' results in order, searched in up to {@code threads} contiguous slices, each
   * slice in one {@link Retriever#queryAll} call (a dense retriever encodes and scans it as a
   * batch).
   */
  private List<ShardedIndex.Result> searchAll(List<String> texts, int topk) throws IOException {
    ShardedIndex.Result[] out = new ShardedIndex.Result[texts.size()];
    int slices = Math.min(texts.size(), limits.threads());
    List<Future<?>> parts = new ArrayList<>(slices);
    for (int s = 0; s < slices; s++) {
      int from = (int) ((long) texts.size() * s / slices);
      int to = (int) ((long) texts.size() * (s + 1) / slices);
      parts.add(searchers.submit(() -> {
        List<ShardedIndex.Result> slice = index.queryAll(texts.subList(from, to), topk);
        for (int i = from; i < to; i++) {
          out[i] = slice.get(i - from);
        }
      }));
    }
    try {
      for (Future<?> f : parts) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while searching", e);
    } catch (ExecutionException e) {
      parts.forEach(f -> f.cancel(true));
      throw new IllegalStateException("search failed: " + org.parallax.common.JobRunner.oneLine(
          e.getCause()), e.getCause());
    }
    return java.util.Arrays.asList(out);
  }

  /** Why the request is malformed, or null when it is fine. */
  static String validate(JsonNode body, int maxQueries) {
    if (body == null || !body.isObject()) {
      return "request body must be a JSON object with a \"queries\" list";
    }
    JsonNode qs = body.get("queries");
    if (qs == null || !qs.isArray()) {
      return "\"queries\" must be a list of strings";
    }
    if (qs.size() > maxQueries) {
      return qs.size() + " queries in one request, more than the limit of " + maxQueries
          + " (--max-queries); split the request";
    }
    for (JsonNode q : qs) {
      if (!q.isTextual()) {
        return "\"queries\" must be a list of strings, found " + q.getNodeType();
      }
    }
    JsonNode k = body.get("topk");
    if (k != null && !k.isNull() && (!k.isInt() || k.asInt() < 0 || k.asInt() > MAX_TOPK)) {
      return "\"topk\" must be an integer in [1, " + MAX_TOPK + "] (0 or null: the server's --k)";
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
    h.put("default_topk", defaultTopk);
    h.put("queries_served", queries.get());
    h.put("queries_cut_to_clause_limit", queriesCut.get());
    h.put("requests_in_progress", inProgress.get());
    h.put("requests_rejected_busy", rejected.get());
    h.put("requests_failed", failed.get());
    h.put("requests_timed_out", timedOut.get());
    if (index instanceof ReloadingIndex r) {
      h.put("index_manifest", r.servedManifest());
      h.put("index_reloads", r.reloads());
      h.put("index_reload_error", r.lastError());
    }
    ObjectNode l = h.putObject("limits");
    l.put("threads", limits.threads());
    l.put("queue", limits.queue());
    l.put("max_body_bytes", limits.maxBodyBytes());
    l.put("max_queries", limits.maxQueries());
    l.put("read_timeout_s", limits.readTimeoutSeconds());
    send(ex, 200, h);
  }

  /** {@code POST /reload}: serves the index rebuilt at the served path now (if it was). */
  private void reload(HttpExchange ex) throws IOException {
    if (!(index instanceof ReloadingIndex r) || !ex.getRequestMethod().equals("POST")) {
      send(ex, index instanceof ReloadingIndex ? 405 : 404, error("use POST /reload on a "
          + "server started by `retrieval serve`"));
      return;
    }
    boolean changed = r.reload();
    ObjectNode body = JSON.createObjectNode().put("reloaded", changed)
        .put("index_manifest", r.servedManifest()).put("documents", r.numDocs());
    send(ex, 200, body);
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
    handlers.shutdownNow();
    searchers.shutdownNow();
    timer.shutdownNow();
  }

  /**
   * Opens every shard of the index at {@code index} (copied locally if remote, each copy keyed by
   * and verified against the checksum its manifest names).
   */
  public static ShardedIndex open(String index, org.apache.hadoop.conf.Configuration conf,
      String localRoot) {
    IndexManifest m = IndexManifest.read(index, conf);
    List<java.nio.file.Path> dirs = new ArrayList<>();
    for (IndexManifest.Shard s : m.shardList()) {
      dirs.add(LocalCopies.localize(IndexManifest.shardPath(index, s), s.checksum(), conf,
          localRoot == null ? LocalCopies.defaultLocalRoot() : localRoot));
    }
    return new ShardedIndex(dirs, m.analyzer(), m.bm25());
  }
}
