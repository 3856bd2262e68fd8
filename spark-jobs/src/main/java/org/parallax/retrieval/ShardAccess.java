package org.parallax.retrieval;

import org.parallax.common.LocalCopies;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;

/**
 * What an executor needs to open any shard of an index: where the shards are, the Hadoop
 * configuration to read them, local scratch space, the BM25 parameters and each shard's checksum.
 * Shards are copied to local disk, verified and opened once per executor JVM and content
 * ({@link LocalCopies}, {@link ShardCache}).
 */
final class ShardAccess implements Serializable {
  private static final long serialVersionUID = 1L;
  private final List<String> shardUris;
  private final List<String> checksums;
  private final SerializableConfiguration conf;
  private final String localRoot;
  private final Bm25Config bm25;

  ShardAccess(String index, IndexManifest manifest, SerializableConfiguration conf,
      String localRoot) {
    this.shardUris = manifest.shardList().stream()
        .map(s -> IndexManifest.shardPath(index, s)).toList();
    this.checksums = manifest.shardList().stream().map(s -> s.checksum()).toList();
    this.conf = conf;
    this.localRoot = localRoot == null ? LocalCopies.defaultLocalRoot() : localRoot;
    this.bm25 = manifest.bm25();
  }

  /**
   * Every shard of the index, each copied, verified against the manifest's checksum and opened
   * once per JVM and content (a shard rebuilt at the same path is opened anew), searched together
   * in this JVM.
   */
  ShardedIndex openAll(AnalyzerConfig analyzer) {
    List<ShardSearcher> all = new java.util.ArrayList<>(shardUris.size());
    for (int i = 0; i < shardUris.size(); i++) {
      all.add(openShard(i));
    }
    return new ShardedIndex(all, analyzer);
  }

  private ShardSearcher openShard(int shard) {
    String checksum = checksums.get(shard);
    return ShardCache.get(LocalCopies.localize(shardUris.get(shard), checksum, conf.value(),
        localRoot), checksum, bm25);
  }
}
