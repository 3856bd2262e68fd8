package org.parallax.retrieval.dense;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.Retriever;
import org.parallax.retrieval.ShardSearcher;
import org.parallax.retrieval.TopK;

/**
 * Exact dense retrieval over all shards of an index: queries are encoded with the e5
 * {@link E5Encoder#QUERY} prefix, every {@link DenseShard} gives its exact top k by inner product
 * and the lists are merged by {@link TopK} (score, then id), so the result equals a brute-force
 * search over all embeddings. The passages' contents come from the BM25 shard of the same number,
 * which holds the same passages. A view over resources opened elsewhere (the executor's caches,
 * or the server's): {@link #close()} closes nothing. Thread-safe.
 */
public final class DenseIndex implements Retriever {
  private final E5Encoder encoder;
  private final List<DenseShard> shards;
  private final List<ShardSearcher> text;
  private final int batchSize;
  private final long docs;

  /**
   * @param encoder the encoder the shards were built with
   * @param shards the dense shards, in shard order
   * @param text the BM25 shards of the same numbers (for the passages' contents)
   * @param batchSize queries encoded per model call
   */
  public DenseIndex(E5Encoder encoder, List<DenseShard> shards, List<ShardSearcher> text,
      int batchSize) {
    if (shards.size() != text.size()) {
      throw new IllegalArgumentException(shards.size() + " dense shards but " + text.size()
          + " BM25 shards");
    }
    this.encoder = encoder;
    this.shards = List.copyOf(shards);
    this.text = List.copyOf(text);
    this.batchSize = batchSize;
    this.docs = shards.stream().mapToLong(DenseShard::size).sum();
  }

  @Override
  public List<List<Hit>> searchAll(List<String> queries, int k) {
    return searchVectors(encoder.encode(queries, E5Encoder.QUERY, batchSize), k);
  }

  /** The exact top {@code k} of each encoded query, with contents. */
  public List<List<Hit>> searchVectors(float[][] vectors, int k) {
    List<List<List<Hit>>> perShard = new ArrayList<>(shards.size());
    for (DenseShard s : shards) {
      perShard.add(s.search(vectors, k));
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
        withText.add(new Hit(h.docId(), h.score(),
            text.get(shardOf.get(h.docId())).contents(h.docId())));
      }
      out.add(withText);
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
