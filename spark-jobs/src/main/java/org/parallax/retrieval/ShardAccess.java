package org.parallax.retrieval;

import org.parallax.common.LocalCopies;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.retrieval.dense.DenseIndex;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.retrieval.dense.DenseShardCache;
import org.parallax.retrieval.dense.E5Encoder;
import org.parallax.retrieval.dense.HnswShard;

/**
 * What an executor needs to open any shard of an index: where the shards are, the Hadoop
 * configuration to read them, local scratch space, the BM25 parameters and each shard's checksum,
 * and, for an index with dense shards, theirs and the encoder's.
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
  private final List<String> denseUris;
  private final List<String> denseChecksums;
  private final List<String> hnswUris;
  private final List<String> hnswChecksums;
  private final EncoderAccess encoder;
  private final int dimension;

  ShardAccess(String index, IndexManifest manifest, SerializableConfiguration conf,
      String localRoot) {
    this.shardUris = manifest.shardList().stream()
        .map(s -> IndexManifest.shardPath(index, s)).toList();
    this.checksums = manifest.shardList().stream().map(s -> s.checksum()).toList();
    this.conf = conf;
    this.localRoot = localRoot == null ? LocalCopies.defaultLocalRoot() : localRoot;
    this.bm25 = manifest.bm25();
    IndexManifest.Dense dense = manifest.dense();
    this.denseUris = dense == null ? List.of() : dense.shardList().stream()
        .map(s -> new org.apache.hadoop.fs.Path(index, s.path()).toString()).toList();
    this.denseChecksums = dense == null ? List.of() : dense.shardList().stream()
        .map(IndexManifest.DenseShard::checksum).toList();
    boolean hnsw = dense != null && dense.hnsw();
    this.hnswUris = !hnsw ? List.of() : dense.shardList().stream()
        .map(s -> new org.apache.hadoop.fs.Path(index, s.hnswPath()).toString()).toList();
    this.hnswChecksums = !hnsw ? List.of() : dense.shardList().stream()
        .map(IndexManifest.DenseShard::hnswChecksum).toList();
    this.encoder = dense == null || DenseOptions.IMPORTED.equals(dense.encoder()) ? null
        : EncoderAccess.of(dense, 1, this.localRoot, conf.value());
    this.dimension = dense == null ? 0 : dense.dimension();
  }

  /**
   * The chosen retriever over every shard, opened (copied, verified) once per JVM and content:
   * the BM25 shards always (they hold the passages' text), the dense shards and the encoder for
   * {@code e5} and {@code hybrid}, and their HNSW graphs for {@code --dense-search hnsw}.
   */
  Retriever open(AnalyzerConfig analyzer, RetrieverChoice choice) {
    ShardedIndex lexical = openAll(analyzer);
    if (!choice.dense()) {
      return lexical;
    }
    if (denseUris.isEmpty()) {
      throw new IllegalStateException("the index has no dense shards");
    }
    List<DenseShard> dense = new java.util.ArrayList<>(denseUris.size());
    for (int i = 0; i < denseUris.size(); i++) {
      String checksum = denseChecksums.get(i);
      dense.add(DenseShardCache.get(LocalCopies.localize(denseUris.get(i), checksum,
          conf.value(), localRoot), checksum, dimension));
    }
    // Imported embeddings have no encoder: such an index is searched with query vectors only.
    E5Encoder e5 = encoder == null ? null : encoder.open();
    DenseIndex vectors = new DenseIndex(e5, dense, lexical.shards(),
        e5 == null ? 1 : encoder.batchSize(e5));
    if (choice.hnsw()) {
      if (hnswUris.isEmpty()) {
        throw new IllegalStateException("the index has no HNSW graphs");
      }
      List<HnswShard> graphs = new java.util.ArrayList<>(hnswUris.size());
      for (int i = 0; i < hnswUris.size(); i++) {
        String checksum = hnswChecksums.get(i);
        graphs.add(DenseShardCache.hnsw(LocalCopies.localize(hnswUris.get(i), checksum,
            conf.value(), localRoot), checksum));
      }
      vectors = vectors.approximate(graphs, choice.hnswCandidates());
    }
    return choice.name().equals("e5") ? vectors
        : new HybridRetriever(lexical, vectors, choice.rrfK());
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
