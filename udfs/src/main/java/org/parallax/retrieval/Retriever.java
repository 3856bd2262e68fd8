package org.parallax.retrieval;

import java.io.Closeable;
import java.util.ArrayList;
import java.util.List;

/**
 * A ranked retrieval over a whole sharded index: BM25 ({@link ShardedIndex}), exact dense
 * inner product ({@code dense.DenseIndex}) or their fusion ({@link HybridRetriever}). Results are
 * complete hits (id, score, contents) in {@link Hit#ORDER}. Queries come in batches so that a
 * model-based retriever can encode them together. Implementations are thread-safe.
 */
public interface Retriever extends Closeable {
  /** The top {@code k} passages of each query, in query order. */
  List<List<Hit>> searchAll(List<String> queries, int k);

  /** The top {@code k} passages of one query. */
  default List<Hit> search(String query, int k) {
    return searchAll(List.of(query), k).get(0);
  }

  /**
   * The top {@code k} passages of one query with how many of its terms Lucene's clause limit
   * dropped ({@link ClauseLimit}; 0 for retrievers without a term query).
   */
  default ShardedIndex.Result query(String query, int k) {
    return new ShardedIndex.Result(search(query, k), 0);
  }

  /**
   * {@link #query} of each of {@code queries}, in order. One call per query by default; a dense
   * retriever overrides it to encode the queries through one predictor and scan its shards once
   * for all of them (the same results as one call each).
   */
  default List<ShardedIndex.Result> queryAll(List<String> queries, int k) {
    List<ShardedIndex.Result> out = new ArrayList<>(queries.size());
    for (String q : queries) {
      out.add(query(q, k));
    }
    return out;
  }

  long numDocs();

  int numShards();

  /** {@code bm25}, {@code e5} or {@code hybrid}. */
  String name();

  /** Runs {@code one} per query: for retrievers that search queries one at a time. */
  static List<List<Hit>> each(List<String> queries, java.util.function.Function<String,
      List<Hit>> one) {
    List<List<Hit>> out = new ArrayList<>(queries.size());
    for (String q : queries) {
      out.add(one.apply(q));
    }
    return out;
  }
}
