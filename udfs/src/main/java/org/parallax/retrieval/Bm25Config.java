package org.parallax.retrieval;

import java.io.Serializable;
import org.apache.lucene.search.similarities.BM25Similarity;

/**
 * BM25 parameters; Anserini's defaults are k1 = 0.9, b = 0.4.
 *
 * @param k1 term frequency saturation
 * @param b document length normalisation
 */
public record Bm25Config(float k1, float b) implements Serializable {
  public static final Bm25Config ANSERINI = new Bm25Config(0.9f, 0.4f);

  public Bm25Config {
    if (k1 < 0 || b < 0 || b > 1) {
      throw new IllegalArgumentException("BM25 needs k1 >= 0 and 0 <= b <= 1, got k1=" + k1
          + " b=" + b);
    }
  }

  public BM25Similarity similarity() {
    return new BM25Similarity(k1, b);
  }
}
