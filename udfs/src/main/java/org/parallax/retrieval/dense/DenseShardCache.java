package org.parallax.retrieval.dense;

import java.io.IOException;
import java.nio.file.Path;
import org.parallax.common.ContentKeyedCache;

/**
 * Open dense shards and HNSW graphs of this JVM, keyed by local directory and content checksum,
 * like the BM25 {@code ShardCache}: each executor maps a shard once and reuses it across tasks;
 * a shard rebuilt in the same directory is opened anew. Closed when the JVM exits.
 */
public final class DenseShardCache {
  private static final ContentKeyedCache<DenseShard> OPEN =
      new ContentKeyedCache<>(DenseShardCache::close);
  private static final ContentKeyedCache<HnswShard> GRAPHS =
      new ContentKeyedCache<>(DenseShardCache::close);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      OPEN.values().forEach(DenseShardCache::close);
      OPEN.clear();
      GRAPHS.values().forEach(DenseShardCache::close);
      GRAPHS.clear();
    }, "parallax-dense-shard-close"));
  }

  private DenseShardCache() {}

  /** The dense shard at {@code dir} with content {@code checksum}, opened on first use. */
  public static DenseShard get(Path dir, String checksum, int dimension) {
    return OPEN.get(dir.toAbsolutePath() + "|" + dimension, checksum,
        () -> new DenseShard(dir, dimension));
  }

  /** The HNSW graph at {@code dir} with content {@code checksum}, opened on first use. */
  public static HnswShard hnsw(Path dir, String checksum) {
    return GRAPHS.get(dir.toAbsolutePath().toString(), checksum, () -> new HnswShard(dir));
  }

  private static void close(java.io.Closeable s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // The JVM is exiting or the files were replaced; nothing left to release.
    }
  }
}
