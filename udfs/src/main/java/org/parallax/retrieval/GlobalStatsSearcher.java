package org.parallax.retrieval;

import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermStatistics;

/**
 * An {@link IndexSearcher} over one shard that scores with corpus-wide statistics instead of the
 * shard's own. Cheap to create: one per query batch, over a shared reader.
 */
final class GlobalStatsSearcher extends IndexSearcher {
  private final GlobalStats stats;

  GlobalStatsSearcher(IndexReader reader, GlobalStats stats, Bm25Config bm25) {
    super(reader);
    this.stats = stats;
    setSimilarity(bm25.similarity());
    setQueryCache(null);
  }

  @Override
  public CollectionStatistics collectionStatistics(String field) throws IOException {
    CollectionStatistics global = field.equals(PassageFields.CONTENTS) ? stats.collection() : null;
    return global != null ? global : super.collectionStatistics(field);
  }

  @Override
  public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq)
      throws IOException {
    long[] global = term.field().equals(PassageFields.CONTENTS) ? stats.term(term.text()) : null;
    if (global == null || global[0] <= 0) {
      return super.termStatistics(term, docFreq, totalTermFreq);
    }
    return new TermStatistics(term.bytes(), global[0], global[1]);
  }
}
