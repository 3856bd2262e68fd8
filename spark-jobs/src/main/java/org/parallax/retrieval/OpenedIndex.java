package org.parallax.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.parallax.common.JobFailedException;
import org.parallax.common.LocalCopies;
import org.parallax.retrieval.dense.DenseIndex;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.retrieval.dense.E5Encoder;
import org.parallax.retrieval.dense.HnswShard;

/**
 * A whole index opened in this process for one retriever (the server's, or a benchmark's): the
 * BM25 shards, and for {@code e5} and {@code hybrid} the dense shards (each verified against the
 * manifest's checksum when copied), their HNSW graphs for {@code --dense-search hnsw}, and the
 * encoder. Owns what it opened; {@link #close()}
 * releases the shards (the encoder stays in its per-JVM cache).
 */
public final class OpenedIndex implements Retriever {
  private final ShardedIndex lexical;
  private final List<DenseShard> dense = new ArrayList<>();
  private final List<HnswShard> graphs = new ArrayList<>();
  private final Retriever retriever;

  private OpenedIndex(String index, Configuration conf, String localDir, RetrieverChoice choice) {
    IndexManifest m = IndexManifest.read(index, conf);
    choice.checkIndex(index, m);
    String root = localDir == null ? LocalCopies.defaultLocalRoot() : localDir;
    this.lexical = RetrievalServer.open(index, conf, localDir);
    if (!choice.dense()) {
      this.retriever = lexical;
      return;
    }
    for (IndexManifest.DenseShard s : m.dense().shardList()) {
      Path local = LocalCopies.localize(new org.apache.hadoop.fs.Path(index, s.path())
          .toString(), s.checksum(), conf, root);
      dense.add(new DenseShard(local, m.dense().dimension()));
    }
    EncoderAccess access = EncoderAccess.of(m.dense(), 1, root, conf);
    E5Encoder encoder;
    try {
      encoder = access.open();
    } catch (RuntimeException e) {
      throw new JobFailedException("index " + index + ": cannot load its encoder "
          + m.dense().encoder() + " (" + e.getMessage() + ")");
    }
    DenseIndex vectors = new DenseIndex(encoder, dense, lexical.shards(),
        access.batchSize(encoder));
    if (choice.hnsw()) {
      for (IndexManifest.DenseShard s : m.dense().shardList()) {
        graphs.add(new HnswShard(LocalCopies.localize(new org.apache.hadoop.fs.Path(index,
            s.hnswPath()).toString(), s.hnswChecksum(), conf, root)));
      }
      vectors = vectors.approximate(graphs, choice.hnswCandidates());
    }
    this.retriever = choice.name().equals("e5") ? vectors
        : new HybridRetriever(lexical, vectors, choice.rrfK());
  }

  /** Opens the index at {@code index} (copied locally if remote) for {@code choice}. */
  public static OpenedIndex open(String index, Configuration conf, String localDir,
      RetrieverChoice choice) {
    return new OpenedIndex(index, conf, localDir, choice);
  }

  @Override
  public List<List<Hit>> searchAll(List<String> queries, int k) {
    return retriever.searchAll(queries, k);
  }

  @Override
  public List<Hit> search(String query, int k) {
    return retriever.search(query, k);
  }

  @Override
  public ShardedIndex.Result query(String query, int k) {
    return retriever.query(query, k);
  }

  @Override
  public List<ShardedIndex.Result> queryAll(List<String> queries, int k) {
    return retriever.queryAll(queries, k);
  }

  @Override
  public long numDocs() {
    return retriever.numDocs();
  }

  @Override
  public int numShards() {
    return retriever.numShards();
  }

  @Override
  public String name() {
    return retriever.name();
  }

  @Override
  public void close() throws IOException {
    for (HnswShard g : graphs) {
      g.close();
    }
    for (DenseShard d : dense) {
      d.close();
    }
    lexical.close();
  }
}
