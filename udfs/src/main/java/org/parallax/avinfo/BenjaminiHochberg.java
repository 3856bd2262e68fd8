package org.parallax.avinfo;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Benjamini-Hochberg adjusted p-values (R's {@code p.adjust(p, "BH")}); NaN entries stay NaN and do
 * not count.
 */
public final class BenjaminiHochberg {
  private BenjaminiHochberg() {}

  /** The adjusted values of {@code p}, in its order. */
  public static double[] adjust(double[] p) {
    double[] out = new double[p.length];
    Arrays.fill(out, Double.NaN);
    Integer[] order = new Integer[p.length];
    int m = 0;
    for (int i = 0; i < p.length; i++) {
      if (!Double.isNaN(p[i])) {
        order[m++] = i;
      }
    }
    Arrays.sort(order, 0, m, Comparator.comparingDouble(i -> p[i]));
    double min = 1;
    for (int rank = m; rank >= 1; rank--) {
      int i = order[rank - 1];
      min = Math.min(min, p[i] * m / rank);
      out[i] = min;
    }
    return out;
  }
}
