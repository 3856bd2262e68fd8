package org.parallax.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * A bag-of-words query as Anserini builds it: the analysed terms of the query text, each a SHOULD
 * clause boosted by how often it occurs. A query whose every token is a stop word has no terms.
 */
public final class QueryTerms {
  private QueryTerms() {}

  /** The analysed terms of {@code text} with their counts, in first-occurrence order. */
  public static Map<String, Integer> analyze(Analyzer analyzer, String text) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    try (TokenStream ts = analyzer.tokenStream(PassageFields.CONTENTS, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        counts.merge(term.toString(), 1, Integer::sum);
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return counts;
  }

  /** The Lucene query of analysed terms, or null when there are none. */
  public static Query toQuery(Map<String, Integer> terms) {
    return toQuery(terms, t -> new TermQuery(new Term(PassageFields.CONTENTS, t)));
  }

  /** {@link #toQuery(Map)} with each term's query made by {@code termQuery}. */
  static Query toQuery(Map<String, Integer> terms,
      java.util.function.Function<String, Query> termQuery) {
    if (terms.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (Map.Entry<String, Integer> e : terms.entrySet()) {
      Query tq = termQuery.apply(e.getKey());
      b.add(e.getValue() == 1 ? tq : new BoostQuery(tq, e.getValue()), BooleanClause.Occur.SHOULD);
    }
    return b.build();
  }
}
