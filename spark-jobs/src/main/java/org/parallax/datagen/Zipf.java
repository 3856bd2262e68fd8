package org.parallax.datagen;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s by inverse CDF. Immutable,
 * serialisable, shared by the tasks of a generator.
 */
public final class Zipf implements Serializable {
  private static final long serialVersionUID = 1L;
  private final double[] cdf;

  public Zipf(int n, double s) {
    if (n <= 0) {
      throw new IllegalArgumentException("Zipf needs n > 0, got " + n);
    }
    cdf = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += 1.0 / Math.pow(i + 1, s);
      cdf[i] = total;
    }
    for (int i = 0; i < n; i++) {
      cdf[i] /= total;
    }
  }

  public int sample(SplittableRandom rnd) {
    int i = Arrays.binarySearch(cdf, rnd.nextDouble());
    return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
  }

  public double probability(int rank) {
    return rank == 0 ? cdf[0] : cdf[rank] - cdf[rank - 1];
  }
}
