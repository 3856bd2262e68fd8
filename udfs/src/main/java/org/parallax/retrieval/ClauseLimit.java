package org.parallax.retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.IndexSearcher;

/**
 * Fits a bag-of-words query into Lucene's clause limit ({@link IndexSearcher#getMaxClauseCount()},
 * 1024 by default), which a boolean query of more clauses fails with {@code TooManyClauses}.
 * Terms arrive deduplicated (one clause per distinct analysed term, boosted by its count). A
 * query within the limit is left as it is, so its results stay exact. Beyond it: first the terms
 * that occur nowhere in the corpus (global document frequency 0) are dropped, which changes no
 * score since they match no passage; if the remaining terms still exceed the limit, the
 * {@code limit} terms of highest IDF (lowest global document frequency, ties in query order) are
 * kept and the rest dropped. Only in that last case is the query <em>cut</em>: its scores lack
 * the dropped terms' contributions. Pure and thread-safe.
 */
public final class ClauseLimit {
  /** The terms to search with, and how many terms that occur in the corpus were dropped. */
  public record Selection(Map<String, Integer> terms, int dropped) {
    public boolean cut() {
      return dropped > 0;
    }
  }

  private ClauseLimit() {}

  /** Lucene's limit on clauses of one query. */
  public static int limit() {
    return IndexSearcher.getMaxClauseCount();
  }

  /**
   * The terms of a query with at most {@code limit} clauses; {@code stats} holds the global
   * statistics of every term in {@code terms}.
   */
  public static Selection select(Map<String, Integer> terms, GlobalStats stats, int limit) {
    if (terms.size() <= limit) {
      return new Selection(terms, 0);
    }
    List<String> matching = new ArrayList<>();
    for (String t : terms.keySet()) {
      if (docFreq(stats, t) > 0) {
        matching.add(t);
      }
    }
    int dropped = Math.max(0, matching.size() - limit);
    if (dropped > 0) {
      // A stable sort keeps query order among equal document frequencies.
      matching.sort(Comparator.comparingLong(t -> docFreq(stats, t)));
      matching = matching.subList(0, limit);
    }
    Set<String> keep = new HashSet<>(matching);
    Map<String, Integer> kept = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> e : terms.entrySet()) {
      if (keep.contains(e.getKey())) {
        kept.put(e.getKey(), e.getValue());
      }
    }
    return new Selection(kept, dropped);
  }

  private static long docFreq(GlobalStats stats, String term) {
    long[] s = stats.term(term);
    return s == null ? 0 : s[0];
  }
}
