package org.parallax.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;

/**
 * All shards of an index opened in one JVM, searched with exact global BM25: one
 * {@link IndexSearcher} over a {@link MultiReader} of the shards, whose collection and term
 * statistics are the sums over the shards, i.e. those of one index over the corpus, so scores
 * equal one index's. A query is weighted once (its terms looked up once per segment, not again
 * per shard for statistics); one pass collects each segment's top k
 * ({@link PerSegmentTopCollector}) and the lists are merged with ties in passage id order
 * ({@link #order}). A query of more distinct terms than Lucene's clause limit is fitted into it
 * by {@link ClauseLimit} instead of failing. Used by the distributed search (each task over the
 * executor's cached shards), the retrieval server and the in-process reference. Thread-safe.
 */
public final class ShardedIndex implements Retriever {
  /** Terms whose states {@link #termQueries} keeps (a few hundred bytes each). */
  private static final int TERM_CACHE = 1 << 16;
  private final List<ShardSearcher> shards = new ArrayList<>();
  private final AnseriniAnalyzer analyzer;
  private final GlobalStats collection = new GlobalStats();
  private final boolean owned;
  private final IndexSearcher searcher;
  /** The first document number of each shard in {@link #searcher}'s reader. */
  private final int[] docBase;
  /** The shard of each leaf (segment) of {@link #searcher}'s reader, in leaf order. */
  private final int[] segmentShard;
  /** Query terms looked up once per index, not once per query. */
  private final TermStatesCache termQueries;

  /** Opens the shards in {@code shardDirs}; {@link #close()} closes them. */
  public ShardedIndex(List<Path> shardDirs, AnalyzerConfig analyzer, Bm25Config bm25) {
    this.analyzer = analyzer.create();
    this.owned = true;
    for (Path p : shardDirs) {
      ShardSearcher s = new ShardSearcher(p, bm25);
      s.addCollectionStats(collection);
      shards.add(s);
    }
    this.docBase = new int[shards.size()];
    this.searcher = searcher(shards, docBase, bm25);
    this.segmentShard = segmentShards(searcher, docBase);
    this.termQueries = new TermStatesCache(searcher, PassageFields.CONTENTS, TERM_CACHE);
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
    this.docBase = new int[shards.size()];
    this.searcher = searcher(shards, docBase,
        opened.isEmpty() ? Bm25Config.ANSERINI : opened.get(0).bm25());
    this.segmentShard = segmentShards(searcher, docBase);
    this.termQueries = new TermStatesCache(searcher, PassageFields.CONTENTS, TERM_CACHE);
  }

  /** The shard of each leaf of {@code searcher}'s reader (empty shards have no leaves). */
  private static int[] segmentShards(IndexSearcher searcher, int[] docBase) {
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    int[] out = new int[leaves.size()];
    int shard = 0;
    for (int l = 0; l < out.length; l++) {
      while (shard + 1 < docBase.length && docBase[shard + 1] <= leaves.get(l).docBase) {
        shard++;
      }
      out[l] = shard;
    }
    return out;
  }

  /**
   * A searcher over all {@code shards}, in shard order, filling {@code docBase}. The multi-reader
   * is never closed: it holds nothing of its own, and the shards' readers are closed by their
   * owner (this index when it opened them, the executor's cache otherwise).
   */
  private static IndexSearcher searcher(List<ShardSearcher> shards, int[] docBase,
      Bm25Config bm25) {
    IndexReader[] readers = new IndexReader[shards.size()];
    int base = 0;
    for (int i = 0; i < readers.length; i++) {
      readers[i] = shards.get(i).reader();
      docBase[i] = base;
      base += readers[i].maxDoc();
    }
    try {
      IndexSearcher s = new IndexSearcher(new MultiReader(readers, true));
      s.setSimilarity(bm25.similarity());
      s.setQueryCache(null);
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
    return query(text, k).hits();
  }

  /** A query's hits and how many of its matching terms the clause limit dropped. */
  public record Result(List<Hit> hits, int droppedTerms) {}

  /**
   * The top {@code k} passages for {@code text}, with a query of at most
   * {@link ClauseLimit#limit()} clauses ({@link ClauseLimit} says which terms it keeps).
   */
  public Result query(String text, int k) {
    return query(text, k, true);
  }

  /**
   * {@link #searchAll} without the passages' contents (each hit's is null): the same ids, scores
   * and order, and only the ids are read for the final top k.
   */
  public List<List<Hit>> searchIds(List<String> queries, int k) {
    return Retriever.each(queries, q -> query(q, k, false).hits());
  }

  private Result query(String text, int k, boolean contents) {
    Map<String, Integer> terms = QueryTerms.analyze(analyzer, text);
    if (terms.isEmpty() || k <= 0) {
      return new Result(List.of(), 0);
    }
    ClauseLimit.Selection selected = terms.size() <= ClauseLimit.limit()
        ? new ClauseLimit.Selection(terms, 0)
        : ClauseLimit.select(terms, termStats(terms.keySet()), ClauseLimit.limit());
    Query query = QueryTerms.toQuery(selected.terms(), termQueries::query);
    if (query == null) {
      return new Result(List.of(), 0);
    }
    PerSegmentTopCollector collector = new PerSegmentTopCollector(segmentShard.length, k);
    try {
      searcher.search(query, collector);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Candidate> all = new ArrayList<>();
    List<List<ScoreDoc>> perSegment = collector.perSegment();
    for (int segment = 0; segment < perSegment.size(); segment++) {
      int shard = segmentShard[segment];
      for (ScoreDoc sd : perSegment.get(segment)) {
        all.add(new Candidate(shard, segment, sd.doc - docBase[shard], sd.score));
      }
    }
    StoredFields[] fields = new StoredFields[shards.size()];
    List<Candidate> top = order(all, k, fields);
    if (contents) {
      readPassages(top, fields);
    } else {
      readFinalIds(top, fields);
    }
    List<Hit> hits = new ArrayList<>(top.size());
    for (Candidate c : top) {
      hits.add(new Hit(c.id, c.score, c.contents));
    }
    return new Result(hits, selected.dropped());
  }

  /** A document of one shard (and segment) with its score under global statistics. */
  private static final class Candidate {
    final int shard;
    final int segment;
    final int doc;
    final float score;
    String id;
    String contents;

    Candidate(int shard, int segment, int doc, float score) {
      this.shard = shard;
      this.segment = segment;
      this.doc = doc;
      this.score = score;
    }
  }

  /**
   * The first {@code k} candidates in {@link Hit#ORDER} (score descending, then passage id).
   * Within a segment, document order is id order (index sorting), so ids are read only for runs
   * of equal scores that span segments; passages are then read for the final {@code k} only.
   */
  private List<Candidate> order(List<Candidate> all, int k, StoredFields[] fields) {
    all.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score)
        : a.shard != b.shard ? Integer.compare(a.shard, b.shard) : Integer.compare(a.doc, b.doc));
    for (int start = 0; start < all.size() && start < k; ) {
      int end = start + 1;
      boolean spans = false;
      while (end < all.size() && all.get(end).score == all.get(start).score) {
        spans |= all.get(end).segment != all.get(start).segment;
        end++;
      }
      if (spans) {
        List<Candidate> run = all.subList(start, end);
        readIds(run, fields);
        run.sort(java.util.Comparator.comparing(c -> c.id));
      }
      start = end;
    }
    return all.size() <= k ? all : all.subList(0, k);
  }

  /** Reads the ids of {@code run}, which is in (shard, document) order, a shard at a time. */
  private void readIds(List<Candidate> run, StoredFields[] fields) {
    String[] ids = new String[run.size()];
    byShard(run, (shard, docs, from, to) ->
        shards.get(shard).ids(docs, from, to, ids, fields(fields, shard)));
    for (int i = 0; i < ids.length; i++) {
      run.get(i).id = ids[i];
    }
  }

  /**
   * Reads the id and contents of the final candidates, a shard at a time in document order (doc
   * values are read forward only).
   */
  private void readPassages(List<Candidate> top, StoredFields[] fields) {
    List<Candidate> byDoc = new ArrayList<>(top);
    byDoc.sort((a, b) -> a.shard != b.shard ? Integer.compare(a.shard, b.shard)
        : Integer.compare(a.doc, b.doc));
    String[] ids = new String[byDoc.size()];
    String[] contents = new String[byDoc.size()];
    byShard(byDoc, (shard, docs, from, to) ->
        shards.get(shard).passages(docs, from, to, ids, contents, fields(fields, shard)));
    for (int i = 0; i < ids.length; i++) {
      byDoc.get(i).id = ids[i];
      byDoc.get(i).contents = contents[i];
    }
  }

  /** Reads the ids of the final candidates that do not have theirs yet, in document order. */
  private void readFinalIds(List<Candidate> top, StoredFields[] fields) {
    List<Candidate> missing = new ArrayList<>();
    for (Candidate c : top) {
      if (c.id == null) {
        missing.add(c);
      }
    }
    missing.sort((a, b) -> a.shard != b.shard ? Integer.compare(a.shard, b.shard)
        : Integer.compare(a.doc, b.doc));
    readIds(missing, fields);
  }

  /** A read of documents {@code docs[from..to)} of one shard. */
  private interface ShardRead {
    void read(int shard, int[] docs, int from, int to);
  }

  /** Calls {@code read} once per run of candidates of one shard in {@code list}, in order. */
  private static void byShard(List<Candidate> list, ShardRead read) {
    int[] docs = new int[list.size()];
    for (int i = 0; i < docs.length; i++) {
      docs[i] = list.get(i).doc;
    }
    for (int from = 0; from < docs.length; ) {
      int shard = list.get(from).shard;
      int to = from + 1;
      while (to < docs.length && list.get(to).shard == shard) {
        to++;
      }
      read.read(shard, docs, from, to);
      from = to;
    }
  }

  /**
   * The stored fields of {@code shard} for this query, taken on first use; null for a shard
   * whose passages are all doc values (nothing is read from its stored fields).
   */
  private StoredFields fields(StoredFields[] fields, int shard) {
    if (fields[shard] == null && shards.get(shard).storedPassages()) {
      fields[shard] = shards.get(shard).storedFields();
    }
    return fields[shard];
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
