package org.parallax.retrieval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;

/**
 * All shards of an index opened in one JVM, searched with exact global BM25: for each query the
 * statistics of its terms are summed over the shards, every shard is scored with them and the
 * per-shard top-k lists are merged. Used by the retrieval server and as the in-process reference
 * the distributed search is compared with. Thread-safe.
 */
public final class ShardedIndex implements Retriever {
  private final List<ShardSearcher> shards = new ArrayList<>();
  private final AnseriniAnalyzer analyzer;
  private final GlobalStats collection = new GlobalStats();
  private final boolean owned;

  /** Opens the shards in {@code shardDirs}; {@link #close()} closes them. */
  public ShardedIndex(List<Path> shardDirs, AnalyzerConfig analyzer, Bm25Config bm25) {
    this.analyzer = analyzer.create();
    this.owned = true;
    for (Path p : shardDirs) {
      ShardSearcher s = new ShardSearcher(p, bm25);
      s.addCollectionStats(collection);
      shards.add(s);
    }
  }

  /**
   * A view over shards opened elsewhere (an executor's {@link ShardCache}), in shard order;
   * {@link #close()} leaves them open.
   */
  public ShardedIndex(List<ShardSearcher> opened, AnalyzerConfig analyzer) {
    this.analyzer = analyzer.create();
    this.owned = false;
    for (ShardSearcher s : opened) {
      s.addCollectionStats(collection);
      shards.add(s);
    }
  }

  @Override
  public String name() {
    return "bm25";
  }

  @Override
  public List<List<Hit>> searchAll(List<String> queries, int k) {
    return Retriever.each(queries, q -> search(q, k));
  }

  /** The open shards, in shard order (to look up passages by id). */
  public List<ShardSearcher> shards() {
    return List.copyOf(shards);
  }

  @Override
  public long numDocs() {
    return collection.docCount();
  }

  @Override
  public int numShards() {
    return shards.size();
  }

  /** The top {@code k} passages for {@code text}; empty when it has no indexable term. */
  @Override
  public List<Hit> search(String text, int k) {
    Map<String, Integer> terms = QueryTerms.analyze(analyzer, text);
    Query query = QueryTerms.toQuery(terms);
    if (query == null || k <= 0) {
      return List.of();
    }
    GlobalStats stats = collection.copyCollection();
    for (ShardSearcher s : shards) {
      s.addTermStats(terms.keySet(), stats);
    }
    List<List<Hit>> perShard = new ArrayList<>(shards.size());
    for (ShardSearcher s : shards) {
      perShard.add(s.search(query, stats, k));
    }
    return TopK.merge(perShard, k);
  }

  @Override
  public void close() throws IOException {
    if (!owned) {
      return;
    }
    for (ShardSearcher s : shards) {
      s.close();
    }
  }
}
