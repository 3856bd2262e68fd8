package org.parallax.retrieval;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;

/**
 * All shards of an index opened in one JVM, searched with exact global BM25: for each query the
 * statistics of its terms are summed over the shards, every shard is scored with them and the
 * per-shard top-k lists are merged. A query of more distinct terms than Lucene's clause limit is
 * fitted into it by {@link ClauseLimit} instead of failing. Used by the retrieval server and as the in-process reference
 * the distributed search is compared with. Thread-safe.
 */
public final class ShardedIndex implements Closeable {
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

  public long numDocs() {
    return collection.docCount();
  }

  public int numShards() {
    return shards.size();
  }

  /** The top {@code k} passages for {@code text}; empty when it has no indexable term. */
  public List<Hit> search(String text, int k) {
    return query(text, k).hits();
  }

  /** A query's hits and how many of its matching terms the clause limit dropped. */
  public record Result(List<Hit> hits, int droppedTerms) {}

  /**
   * The top {@code k} passages for {@code text}, with a query of at most
   * {@link ClauseLimit#limit()} clauses ({@link ClauseLimit} says which terms it keeps).
   */
  public Result query(String text, int k) {
    Map<String, Integer> terms = QueryTerms.analyze(analyzer, text);
    if (terms.isEmpty() || k <= 0) {
      return new Result(List.of(), 0);
    }
    GlobalStats stats = termStats(terms.keySet());
    ClauseLimit.Selection selected = ClauseLimit.select(terms, stats, ClauseLimit.limit());
    Query query = QueryTerms.toQuery(selected.terms());
    if (query == null) {
      return new Result(List.of(), 0);
    }
    List<List<Hit>> perShard = new ArrayList<>(shards.size());
    for (ShardSearcher s : shards) {
      perShard.add(s.search(query, stats, k));
    }
    return new Result(TopK.merge(perShard, k), selected.dropped());
  }

  /**
   * How the clause limit treats {@code text}: null when its analysed terms are within the limit
   * (searched as they are), else the selection ({@link ClauseLimit}).
   */
  public ClauseLimit.Selection clauseLimit(String text) {
    Map<String, Integer> terms = QueryTerms.analyze(analyzer, text);
    if (terms.size() <= ClauseLimit.limit()) {
      return null;
    }
    return ClauseLimit.select(terms, termStats(terms.keySet()), ClauseLimit.limit());
  }

  /** The collection statistics and the statistics of {@code terms}, summed over the shards. */
  private GlobalStats termStats(java.util.Collection<String> terms) {
    GlobalStats stats = collection.copyCollection();
    for (ShardSearcher s : shards) {
      s.addTermStats(terms, stats);
    }
    return stats;
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
