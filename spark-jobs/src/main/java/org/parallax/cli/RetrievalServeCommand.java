package org.parallax.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.parallax.common.Check;
import org.parallax.common.HadoopConf;
import org.parallax.retrieval.RetrievalServer;
import org.parallax.retrieval.ReloadingIndex;
import org.parallax.retrieval.ServerLimits;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code retrieval serve}: Search-R1's retrieval HTTP API over a sharded index. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve Search-R1's POST /retrieve API (and GET /health) over a sharded index.")
public final class RetrievalServeCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR",
      description = "Output of `retrieval index` (any Hadoop URI; copied locally if remote).")
  String index;

  @Option(names = "--port", defaultValue = "8000", paramLabel = "P",
      description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
      description = "Address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 for all).")
  String host;

  @Option(names = "--k", defaultValue = "" + RetrievalServer.DEFAULT_TOPK, paramLabel = "K",
      description = "Passages per query for a request whose topk is missing, null or 0, as "
          + "Search-R1's --topk (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--threads", defaultValue = "8", paramLabel = "N",
      description = "Search threads, shared by all requests; the queries of one request are "
          + "searched in parallel on them (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(names = "--queue", defaultValue = "" + ServerLimits.DEFAULT_QUEUE, paramLabel = "N",
      description = "Requests admitted while every search thread is busy; beyond --threads + "
          + "--queue requests in progress a request gets 503 with Retry-After "
          + "(default: ${DEFAULT-VALUE}).")
  int queue;

  @Option(names = "--max-body-bytes", defaultValue = "" + ServerLimits.DEFAULT_MAX_BODY_BYTES,
      paramLabel = "B", description = "Largest request body; larger gets 413 "
          + "(default: ${DEFAULT-VALUE}, 16 MiB).")
  long maxBodyBytes;

  @Option(names = "--max-queries", defaultValue = "" + ServerLimits.DEFAULT_MAX_QUERIES,
      paramLabel = "N", description = "Most queries in one request; more get 400 "
          + "(default: ${DEFAULT-VALUE}).")
  int maxQueries;

  @Option(names = "--read-timeout-s", defaultValue = ""
      + ServerLimits.DEFAULT_READ_TIMEOUT_SECONDS, paramLabel = "S",
      description = "Longest wait for a request's headers and body; a client that stalls longer "
          + "has its connection closed (default: ${DEFAULT-VALUE}).")
  double readTimeoutSeconds;

  @Option(names = "--local-dir", paramLabel = "DIR",
      description = "Where remote shards are copied (default: tmp).")
  String localDir;

  @Option(names = "--reload-check-s", defaultValue = "60", paramLabel = "S",
      description = "How often the server checks whether the index at --index was rebuilt "
          + "(its manifest changed and it is marked complete) and then serves the new one, "
          + "searches in flight finishing on the old; 0: only on POST /reload "
          + "(default: ${DEFAULT-VALUE}).")
  double reloadCheckSeconds;

  @Mixin RetrieverMixin retrievers;

  @Override
  public Integer call() throws Exception {
    Check.within("--port", port, 0, 65_535);
    Check.within("--k", k, 1, RetrievalServer.MAX_TOPK);
    if (!(reloadCheckSeconds >= 0 && reloadCheckSeconds <= 86_400)) {
      throw new IllegalArgumentException("--reload-check-s must lie in [0, 86400], got "
          + reloadCheckSeconds);
    }
    ServerLimits limits = new ServerLimits(threads, queue, maxBodyBytes, maxQueries,
        readTimeoutSeconds);
    // The JDK server reads request headers before any handler runs; its own timer bounds that
    // (a process-wide setting, read when the first server starts).
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime",
          Long.toString((long) Math.ceil(readTimeoutSeconds)));
    }
    long t0 = System.nanoTime();
    ReloadingIndex idx = ReloadingIndex.open(index, HadoopConf.fromSparkSettings(), localDir,
        retrievers.toChoice(), reloadCheckSeconds);
    RetrievalServer server = new RetrievalServer(idx, host, port, limits, k);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stop.countDown();
    }));
    spec.commandLine().getOut().printf(
        "retrieval serve: listening on http://%s:%d (%s, %,d passages in %d shards, ready in "
            + "%.1fs)%n", host, server.port(), idx.name(), idx.numDocs(), idx.numShards(),
        (System.nanoTime() - t0) / 1e9);
    spec.commandLine().getOut().flush();
    stop.await();
    idx.close();
    return 0;
  }
}
