package org.parallax.retrieval;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * The analysis chain of Anserini's default English analyzer, configurable through
 * {@link AnalyzerConfig}. Thread-safe as every Lucene {@link Analyzer}: token streams are reused
 * per thread.
 */
public final class AnseriniAnalyzer extends Analyzer {
  private final AnalyzerConfig config;

  public AnseriniAnalyzer(AnalyzerConfig config) {
    this.config = config;
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    StandardTokenizer source = new StandardTokenizer();
    TokenStream result = new EnglishPossessiveFilter(source);
    result = new LowerCaseFilter(result);
    if (config.stopwords()) {
      result = new StopFilter(result, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
    }
    if (config.stemmer().equals("porter")) {
      result = new PorterStemFilter(result);
    }
    return new TokenStreamComponents(source, result);
  }

  @Override
  protected TokenStream normalize(String fieldName, TokenStream in) {
    return new LowerCaseFilter(in);
  }
}
