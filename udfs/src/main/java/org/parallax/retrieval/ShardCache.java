package org.parallax.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import org.parallax.common.ContentKeyedCache;

/**
 * Open shards of this JVM, keyed by local directory and content checksum: an executor opens each
 * shard once and reuses it across tasks and queries, and a shard rebuilt in the same directory
 * (new checksum) is opened anew, the old reader closed. Shards are closed when the JVM exits.
 */
public final class ShardCache {
  private static final ContentKeyedCache<ShardSearcher> OPEN =
      new ContentKeyedCache<>(ShardCache::close);

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
    return OPEN.get(dir.toAbsolutePath() + "|" + bm25, checksum,
        () -> new ShardSearcher(dir, bm25));
  }

  private static void close(ShardSearcher s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Its files were replaced or the JVM is exiting; nothing left to release.
    }
  }

  /** Number of shards open in this JVM. */
  public static int size() {
    return OPEN.values().size();
  }

  static void closeAll() {
    OPEN.values().forEach(ShardCache::close);
    OPEN.clear();
  }
}
