package org.parallax.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.CommonOptions;
import org.parallax.common.HadoopConf;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import org.parallax.retrieval.RetrievalServer;
import org.parallax.retrieval.ServerLimits;
import org.parallax.retrieval.ShardedIndex;

/**
 * The retrieval server under Search-R1's traffic: one client posting a whole turn's queries per
 * request (batches) against several clients posting one query each, in the same run, on the
 * same server and index (2 shards), with the same questions; the baseline is the same exact
 * search in process on one thread. Every answer is checked against the in-process one.
 */
public final class ServerBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public ServerBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /** Runs the benchmark and returns its Markdown section. */
  public String run(long passages, int queries, int clients, int batch) throws Exception {
    Path data = work.resolve("data-" + passages);
    JobRunner.run(spark, new DatagenJob("retrieval"), new DatagenOptions("retrieval",
        CommonOptions.replacing(data.toString(), seed), passages, "parquet"));
    String index = work.resolve("index-" + passages).toString();
    JobRunner.run(spark, new IndexJob(), new IndexOptions(CommonOptions.replacing(index, seed),
        data.resolve("corpus").toString(), "jsonl", 2, 256, AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI, null));
    List<String> generated = RetrievalBench.readQuestions(data.resolve("qa"));
    List<String> questions = new ArrayList<>(queries);
    for (int i = 0; i < queries; i++) {
      questions.add(generated.get(i % generated.size()));
    }
    int threads = Math.max(clients, 2);
    try (ShardedIndex idx = RetrievalServer.open(index, HadoopConf.fromSparkSettings(), null);
        RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0,
            ServerLimits.withThreads(threads));
        RetrievalServer one = new RetrievalServer(idx, "127.0.0.1", 0,
            ServerLimits.withThreads(1))) {
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/retrieve");
      URI oneUri = URI.create("http://127.0.0.1:" + one.port() + "/retrieve");
      List<String> expected = new ArrayList<>(queries);
      questions.forEach(q -> expected.add(firstIds(idx, q)));
      // Two rounds, contenders in turn (the first round warms up the JIT for all of them); each
      // contender's faster round counts, and every round's answers are checked.
      double inProcess = Double.MAX_VALUE;
      double[] single = {Double.MAX_VALUE, 0};
      double[] batched = {Double.MAX_VALUE, 0};
      double[] serial = {Double.MAX_VALUE, 0};
      for (int round = 0; round < 2; round++) {
        List<String> ids = new ArrayList<>(queries);
        inProcess = Math.min(inProcess, Stopwatch.seconds(() -> questions.forEach(q -> ids.add(
            firstIds(idx, q)))));
        String[] singleIds = new String[queries];
        String[] batchIds = new String[queries];
        String[] serialIds = new String[queries];
        single = faster(single, post(uri, questions, clients, 1, singleIds));
        batched = faster(batched, post(uri, questions, 1, batch, batchIds));
        serial = faster(serial, post(oneUri, questions, 1, batch, serialIds));
        if (!expected.equals(ids) || !expected.equals(List.of(singleIds))
            || !expected.equals(List.of(batchIds)) || !expected.equals(List.of(serialIds))) {
          throw new IllegalStateException("answers differ from the in-process search");
        }
      }
      BenchTable t = new BenchTable("searcher", "queries", "requests", "seconds", "queries/s",
          "vs in-process 1 thread");
      t.row("in-process exact BM25 over 2 shards, 1 thread", queries, 0, inProcess,
          queries / inProcess, 1.0);
      t.row("HTTP server, " + clients + " clients, 1 query per request", queries,
          (int) single[1], single[0], queries / single[0], inProcess / single[0]);
      t.row("HTTP server, 1 client, " + batch + " queries per request", queries,
          (int) batched[1], batched[0], queries / batched[0], inProcess / batched[0]);
      t.row("HTTP server with 1 search thread, 1 client, " + batch + " queries per request",
          queries, (int) serial[1], serial[0], queries / serial[0], inProcess / serial[0]);
      return String.format("## Retrieval server (Search-R1 traffic)%n%n%,d generated passages in "
          + "2 shards, %,d questions (the generated ones cycled), top 3 with scores; the server "
          + "runs %d search threads (`--threads`); same server, index and questions in every "
          + "row; each row is the faster of two rounds run in turn. Batched queries run in "
          + "parallel on the "
          + "search threads (the last row shows one thread for comparison).%n%n%s%nBatches of %d "
          + "vs %d single-query clients: %.2fx; batches on %d search threads vs 1: %.2fx.%n%n",
          passages, queries, threads, t.markdown(), batch, clients, single[0] / batched[0],
          threads, serial[0] / batched[0]);
    }
  }

  private static double[] faster(double[] a, double[] b) {
    return a[0] <= b[0] ? a : b;
  }

  private static String firstIds(ShardedIndex idx, String q) {
    return idx.search(q, 3).stream().map(h -> h.docId()).toList().toString();
  }

  /**
   * {seconds, requests}: {@code questions} posted by {@code clients} in requests of {@code per};
   * each question's top ids go to {@code ids} at its position.
   */
  private static double[] post(URI uri, List<String> questions, int clients, int per,
      String[] ids) throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    AtomicInteger next = new AtomicInteger();
    int requests = (questions.size() + per - 1) / per;
    long t0 = System.nanoTime();
    List<Future<Integer>> done = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      done.add(pool.submit(() -> {
        int answered = 0;
        for (int r = next.getAndIncrement(); r < requests; r = next.getAndIncrement()) {
          List<String> part = questions.subList(r * per, Math.min(questions.size(),
              (r + 1) * per));
          HttpResponse<String> resp = http.send(HttpRequest.newBuilder(uri)
              .POST(HttpRequest.BodyPublishers.ofString("{\"queries\": "
                  + JSON.writeValueAsString(part) + ", \"topk\": 3, \"return_scores\": true}"))
              .build(), HttpResponse.BodyHandlers.ofString());
          JsonNode result = JSON.readTree(resp.body()).get("result");
          if (resp.statusCode() != 200 || result.size() != part.size()) {
            throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + resp.body());
          }
          for (int i = 0; i < part.size(); i++) {
            List<String> top = new ArrayList<>();
            result.get(i).forEach(h -> top.add(h.get("document").get("id").asText()));
            ids[r * per + i] = top.toString();
          }
          answered += part.size();
        }
        return answered;
      }));
    }
    int answered = 0;
    for (Future<Integer> f : done) {
      answered += f.get();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    pool.shutdown();
    if (answered != questions.size()) {
      throw new IllegalStateException(answered + " of " + questions.size() + " answered");
    }
    return new double[] {seconds, requests};
  }
}
