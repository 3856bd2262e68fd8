package org.parallax.retrieval;

import java.io.Serializable;

/**
 * How passages and queries are tokenised. The default is Anserini's English analyzer, so scores
 * are comparable with Pyserini's BM25: StandardTokenizer, EnglishPossessiveFilter,
 * LowerCaseFilter, StopFilter with Lucene's English stop set, PorterStemFilter.
 *
 * @param stopwords drop Lucene's English stop words
 * @param stemmer {@code porter} or {@code none}
 */
public record AnalyzerConfig(boolean stopwords, String stemmer) implements Serializable {
  public static final AnalyzerConfig ANSERINI = new AnalyzerConfig(true, "porter");

  public AnalyzerConfig {
    if (!stemmer.equals("porter") && !stemmer.equals("none")) {
      throw new IllegalArgumentException("stemmer must be porter or none, got " + stemmer);
    }
  }

  public AnseriniAnalyzer create() {
    return new AnseriniAnalyzer(this);
  }
}
