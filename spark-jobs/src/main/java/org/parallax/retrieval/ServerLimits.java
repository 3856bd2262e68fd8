package org.parallax.retrieval;

import org.parallax.common.Check;

/**
 * What one {@link RetrievalServer} takes on: search threads, requests admitted beyond them, the
 * size of a request, and how long its body may take to arrive.
 *
 * @param threads threads searching queries (the queries of one request run on several of them)
 * @param queue requests admitted while {@code threads} are busy; beyond {@code threads + queue}
 *     requests in progress a request gets 503 with {@code Retry-After}
 * @param maxBodyBytes largest request body; a larger one gets 413
 * @param maxQueries most queries in one request; more get 400
 * @param readTimeoutSeconds longest wait for a request body; a client that stalls longer has its
 *     connection closed
 */
public record ServerLimits(int threads, int queue, long maxBodyBytes, int maxQueries,
    double readTimeoutSeconds) {
  public static final int DEFAULT_QUEUE = 64;
  public static final long DEFAULT_MAX_BODY_BYTES = 16L << 20;
  public static final int DEFAULT_MAX_QUERIES = 8192;
  public static final double DEFAULT_READ_TIMEOUT_SECONDS = 30;

  public ServerLimits {
    Check.atLeast("--threads", threads, 1);
    Check.atLeast("--queue", queue, 0);
    Check.atLeast("--max-body-bytes", maxBodyBytes, 2);
    Check.atLeast("--max-queries", maxQueries, 1);
    Check.positive("--read-timeout-s", readTimeoutSeconds);
  }

  /** The defaults, with {@code threads} search threads. */
  public static ServerLimits withThreads(int threads) {
    return new ServerLimits(threads, DEFAULT_QUEUE, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_QUERIES,
        DEFAULT_READ_TIMEOUT_SECONDS);
  }

  /** Requests in progress at most: searching or waiting for a search thread. */
  public int admitted() {
    return threads + queue;
  }
}
