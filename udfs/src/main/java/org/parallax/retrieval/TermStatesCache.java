package org.parallax.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * Term queries of one searcher's field that carry their term's per-segment states and statistics,
 * each term looked up in the segments' term dictionaries once, not once per query that uses it
 * (a batch of questions shares most of its words). The states are those
 * {@link TermStates#build} gives and Lucene would build for the query itself, so scores and
 * hits are unchanged. Holds at most {@code capacity} terms (then starts over). Thread-safe; valid
 * for the searcher's reader only.
 */
final class TermStatesCache {
  private final IndexSearcher searcher;
  private final String field;
  private final int capacity;
  private final ConcurrentHashMap<String, TermStates> states = new ConcurrentHashMap<>();

  TermStatesCache(IndexSearcher searcher, String field, int capacity) {
    this.searcher = searcher;
    this.field = field;
    this.capacity = capacity;
  }

  /** A query of {@code text} in the field, with its term's states. */
  TermQuery query(String text) {
    Term term = new Term(field, text);
    TermStates s = states.get(text);
    if (s == null) {
      try {
        s = TermStates.build(searcher, term, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (states.size() >= capacity) {
        states.clear();
      }
      states.put(text, s);
    }
    return new TermQuery(term, s);
  }
}
