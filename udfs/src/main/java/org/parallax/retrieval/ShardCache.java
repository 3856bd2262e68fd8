package org.parallax.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open shards of this JVM, keyed by local directory and content checksum: an executor opens each
 * shard once and reuses it across tasks and queries, and a shard rebuilt in the same directory
 * (new checksum) is opened anew, the old reader closed. Shards are closed when the JVM exits.
 */
public final class ShardCache {
  private static final Map<String, ShardSearcher> OPEN = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ShardCache::closeAll, "parallax-shard-close"));
  }

  private ShardCache() {}

  /** The shard at {@code dir}, opened on first use. */
  public static ShardSearcher get(Path dir, Bm25Config bm25) {
    return get(dir, "unverified", bm25);
  }

  /** The shard at {@code dir} with content {@code checksum}, opened on first use. */
  public static ShardSearcher get(Path dir, String checksum, Bm25Config bm25) {
    String place = dir.toAbsolutePath() + "|" + bm25 + "|";
    ShardSearcher open = OPEN.get(place + checksum);
    if (open != null) {
      return open;
    }
    synchronized (ShardCache.class) {
      open = OPEN.get(place + checksum);
      if (open == null) {
        // An older content of the same directory was rebuilt since: its reader is stale.
        for (String k : OPEN.keySet()) {
          if (k.startsWith(place)) {
            close(OPEN.remove(k));
          }
        }
        open = new ShardSearcher(dir, bm25);
        OPEN.put(place + checksum, open);
      }
      return open;
    }
  }

  private static void close(ShardSearcher s) {
    try {
      if (s != null) {
        s.close();
      }
    } catch (IOException ignored) {
      // Its files were replaced; nothing left to release.
    }
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
