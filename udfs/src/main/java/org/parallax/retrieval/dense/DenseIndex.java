package org.parallax.retrieval.dense;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.Retriever;
import org.parallax.retrieval.ShardSearcher;
import org.parallax.retrieval.ShardedIndex;
import org.parallax.retrieval.TopK;

/**
 * Dense retrieval over all shards of an index: queries are encoded with the e5
 * {@link E5Encoder#QUERY} prefix, every {@link DenseShard} gives its exact top k by inner product
 * and the lists are merged by {@link TopK} (score, then id), so the result equals a brute-force
 * search over all embeddings. {@link #approximate} gives the same retrieval with each shard's top
 * k taken from its {@link HnswShard} graph instead (scored with the same exact inner products,
 * merged the same way). The passages' contents come from the BM25 shard of the same number,
 * which holds the same passages. A view over resources opened elsewhere (the executor's caches,
 * or the server's): {@link #close()} closes nothing. Thread-safe.
 */
public final class DenseIndex implements Retriever {
  private final E5Encoder encoder;
  private final List<DenseShard> shards;
  private final List<ShardSearcher> text;
  private final int batchSize;
  private final long docs;
  private final List<HnswShard> graphs;
  private final int candidates;

  /**
   * @param encoder the encoder the shards were built with, or null for imported embeddings
   *     (then only {@link #searchVectors} searches)
   * @param shards the dense shards, in shard order
   * @param text the BM25 shards of the same numbers (for the passages' contents)
   * @param batchSize queries encoded per model call
   */
  public DenseIndex(E5Encoder encoder, List<DenseShard> shards, List<ShardSearcher> text,
      int batchSize) {
    this(encoder, shards, text, batchSize, null, 0);
  }

  private DenseIndex(E5Encoder encoder, List<DenseShard> shards, List<ShardSearcher> text,
      int batchSize, List<HnswShard> graphs, int candidates) {
    if (shards.size() != text.size()) {
      throw new IllegalArgumentException(shards.size() + " dense shards but " + text.size()
          + " BM25 shards");
    }
    this.encoder = encoder;
    this.shards = List.copyOf(shards);
    this.text = List.copyOf(text);
    this.batchSize = batchSize;
    this.docs = shards.stream().mapToLong(DenseShard::size).sum();
    if (graphs != null && graphs.size() != shards.size()) {
      throw new IllegalArgumentException(shards.size() + " dense shards but " + graphs.size()
          + " HNSW graphs");
    }
    this.graphs = graphs == null ? null : List.copyOf(graphs);
    this.candidates = candidates;
  }

  /**
   * The approximate search over the same shards: each shard's top k comes from its HNSW graph
   * ({@code graphs}, in shard order), which explores {@code max(k, candidates)} candidates per
   * query ({@link HnswShard#search}).
   */
  public DenseIndex approximate(List<HnswShard> graphs, int candidates) {
    if (candidates < 1) {
      throw new IllegalArgumentException("HNSW candidates must be >= 1, got " + candidates);
    }
    return new DenseIndex(encoder, shards, text, batchSize, graphs, candidates);
  }

  @Override
  public List<List<Hit>> searchAll(List<String> queries, int k) {
    if (encoder == null) {
      throw new IllegalStateException("this dense index has no encoder (its embeddings were "
          + "imported): search it with query vectors");
    }
    return searchVectors(encoder.encode(queries, E5Encoder.QUERY, batchSize), k);
  }

  /** {@link #searchAll}: a dense search cuts no query terms. */
  @Override
  public List<ShardedIndex.Result> queryAll(List<String> queries, int k) {
    List<ShardedIndex.Result> out = new ArrayList<>(queries.size());
    for (List<Hit> hits : searchAll(queries, k)) {
      out.add(new ShardedIndex.Result(hits, 0));
    }
    return out;
  }

  /** The top {@code k} of each encoded query (exact, or approximate), with contents. */
  public List<List<Hit>> searchVectors(float[][] vectors, int k) {
    return searchVectors(vectors, k, true);
  }

  /**
   * {@link #searchVectors(float[][], int)}, with the passages' contents looked up only when
   * {@code contents} (otherwise each hit's is null).
   */
  public List<List<Hit>> searchVectors(float[][] vectors, int k, boolean contents) {
    List<List<List<Hit>>> perShard = new ArrayList<>(shards.size());
    for (int s = 0; s < shards.size(); s++) {
      perShard.add(graphs == null ? shards.get(s).search(vectors, k) : searchGraph(s, vectors, k));
    }
    List<List<Hit>> out = new ArrayList<>(vectors.length);
    for (int q = 0; q < vectors.length; q++) {
      Map<String, Integer> shardOf = new HashMap<>();
      List<List<Hit>> lists = new ArrayList<>(shards.size());
      for (int s = 0; s < shards.size(); s++) {
        List<Hit> hits = perShard.get(s).get(q);
        for (Hit h : hits) {
          shardOf.put(h.docId(), s);
        }
        lists.add(hits);
      }
      List<Hit> top = TopK.merge(lists, k);
      List<Hit> withText = new ArrayList<>(top.size());
      for (Hit h : top) {
        withText.add(!contents ? h : new Hit(h.docId(), h.score(),
            text.get(shardOf.get(h.docId())).contents(h.docId())));
      }
      out.add(withText);
    }
    return out;
  }

  private List<List<Hit>> searchGraph(int shard, float[][] vectors, int k) {
    List<List<Hit>> out = new ArrayList<>(vectors.length);
    for (float[] v : vectors) {
      out.add(graphs.get(shard).search(v, k, candidates, shards.get(shard)));
    }
    return out;
  }

  public E5Encoder encoder() {
    return encoder;
  }

  @Override
  public long numDocs() {
    return docs;
  }

  @Override
  public int numShards() {
    return shards.size();
  }

  @Override
  public String name() {
    return "e5";
  }

  @Override
  public void close() throws IOException {
    // A view: the shards and the encoder belong to their caches or to whoever opened them.
  }
}
