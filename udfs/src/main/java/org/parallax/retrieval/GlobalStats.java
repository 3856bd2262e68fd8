package org.parallax.retrieval;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.search.CollectionStatistics;

/**
 * Collection and term statistics of the whole corpus, summed over its shards. Scoring every shard
 * with them makes a sharded BM25 search return exactly the scores of one index over the corpus:
 * BM25 depends on the corpus only through document count, total term frequency (average length)
 * and each query term's document frequency.
 */
public final class GlobalStats implements Serializable {
  private static final long serialVersionUID = 1L;
  private long maxDoc;
  private long docCount;
  private long sumTotalTermFreq;
  private long sumDocFreq;
  private final Map<String, long[]> terms = new HashMap<>();

  /** Adds one shard's collection statistics. */
  public GlobalStats addCollection(long maxDoc, long docCount, long sumTotalTermFreq,
      long sumDocFreq) {
    this.maxDoc += maxDoc;
    this.docCount += docCount;
    this.sumTotalTermFreq += sumTotalTermFreq;
    this.sumDocFreq += sumDocFreq;
    return this;
  }

  /** Adds one shard's document and total frequency of {@code term}. */
  public GlobalStats addTerm(String term, long docFreq, long totalTermFreq) {
    long[] s = terms.computeIfAbsent(term, t -> new long[2]);
    s[0] += docFreq;
    s[1] += totalTermFreq;
    return this;
  }

  /** A copy with the same collection statistics and no term statistics. */
  public GlobalStats copyCollection() {
    return new GlobalStats().addCollection(maxDoc, docCount, sumTotalTermFreq, sumDocFreq);
  }

  /** {docFreq, totalTermFreq} of {@code term}, or null when it was never added. */
  public long[] term(String term) {
    return terms.get(term);
  }

  public long docCount() {
    return docCount;
  }

  /** Statistics of the contents field, or null for an empty corpus. */
  public CollectionStatistics collection() {
    if (docCount == 0) {
      return null;
    }
    return new CollectionStatistics(PassageFields.CONTENTS, maxDoc, docCount, sumTotalTermFreq,
        sumDocFreq);
  }
}
