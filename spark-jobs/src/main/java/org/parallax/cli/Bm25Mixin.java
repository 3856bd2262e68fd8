package org.parallax.cli;

import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import picocli.CommandLine.Option;

/** Analyzer and BM25 options; the defaults are Anserini's. */
public final class Bm25Mixin {
  @Option(names = "--k1", defaultValue = "0.9", paramLabel = "K1",
      description = "BM25 k1 (default: ${DEFAULT-VALUE}).")
  float k1;

  @Option(names = "--b", defaultValue = "0.4", paramLabel = "B",
      description = "BM25 b (default: ${DEFAULT-VALUE}).")
  float b;

  @Option(names = "--no-stopwords", description = "Keep Lucene's English stop words.")
  boolean noStopwords;

  @Option(names = "--stemmer", defaultValue = "porter", paramLabel = "NAME",
      description = "porter or none (default: ${DEFAULT-VALUE}).")
  String stemmer;

  AnalyzerConfig analyzer() {
    return new AnalyzerConfig(!noStopwords, stemmer);
  }

  Bm25Config bm25() {
    return new Bm25Config(k1, b);
  }
}
