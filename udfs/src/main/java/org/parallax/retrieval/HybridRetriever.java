package org.parallax.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * BM25 and dense retrieval fused by {@link ReciprocalRankFusion}: each retriever gives its top
 * {@code max(k, }{@value #MIN_DEPTH}{@code )} passages, fused with constant {@code c}. Closes
 * neither retriever (their owners do).
 */
public final class HybridRetriever implements Retriever {
  /** How deep each ranking is read at least, so a passage ranked low by one still counts. */
  public static final int MIN_DEPTH = 50;
  private final Retriever lexical;
  private final Retriever dense;
  private final int c;

  public HybridRetriever(Retriever lexical, Retriever dense, int c) {
    if (c < 0) {
      throw new IllegalArgumentException("the RRF constant must be >= 0, got " + c);
    }
    this.lexical = lexical;
    this.dense = dense;
    this.c = c;
  }

  @Override
  public List<List<Hit>> searchAll(List<String> queries, int k) {
    int depth = Math.max(k, MIN_DEPTH);
    List<List<Hit>> a = lexical.searchAll(queries, depth);
    List<List<Hit>> b = dense.searchAll(queries, depth);
    List<List<Hit>> out = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      out.add(ReciprocalRankFusion.fuse(List.of(a.get(i), b.get(i)), c, k));
    }
    return out;
  }

  /**
   * {@link #searchAll}, with the BM25 side searched by {@link Retriever#queryAll} so that each
   * result says how many of its query's terms the clause limit dropped.
   */
  @Override
  public List<ShardedIndex.Result> queryAll(List<String> queries, int k) {
    int depth = Math.max(k, MIN_DEPTH);
    List<ShardedIndex.Result> a = lexical.queryAll(queries, depth);
    List<List<Hit>> b = dense.searchAll(queries, depth);
    List<ShardedIndex.Result> out = new ArrayList<>(queries.size());
    for (int i = 0; i < queries.size(); i++) {
      out.add(new ShardedIndex.Result(ReciprocalRankFusion.fuse(List.of(a.get(i).hits(),
          b.get(i)), c, k), a.get(i).droppedTerms()));
    }
    return out;
  }

  @Override
  public ShardedIndex.Result query(String query, int k) {
    return queryAll(List.of(query), k).get(0);
  }

  @Override
  public long numDocs() {
    return lexical.numDocs();
  }

  @Override
  public int numShards() {
    return lexical.numShards();
  }

  @Override
  public String name() {
    return "hybrid";
  }

  @Override
  public void close() throws IOException {
    // The retrievers belong to whoever opened them.
  }
}
