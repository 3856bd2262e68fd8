package org.parallax.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open shards of this JVM, keyed by local directory: an executor opens each shard once and reuses
 * it across tasks and queries. Shards are closed when the JVM exits.
 */
public final class ShardCache {
  private static final Map<String, ShardSearcher> OPEN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ShardCache::closeAll, "parallax-shard-close"));
  }

  private ShardCache() {}

  /** The shard at {@code dir}, opened on first use. */
  public static ShardSearcher get(Path dir, Bm25Config bm25) {
    return OPEN.computeIfAbsent(dir.toAbsolutePath() + "|" + bm25,
        key -> new ShardSearcher(dir, bm25));
  }

  /** Number of shards open in this JVM. */
  public static int size() {
    return OPEN.size();
  }

  static void closeAll() {
    for (ShardSearcher s : OPEN.values()) {
      try {
        s.close();
      } catch (IOException ignored) {
        // The JVM is exiting; nothing left to release the reader for.
      }
    }
    OPEN.clear();
  }
}
