package org.parallax.avinfo;

/**
 * Entropy of discrete distributions given as probability tables, in the unit of {@code base}; 0 log
 * 0 = 0.
 */
public final class InformationMeasures {
  private InformationMeasures() {}

  /** Shannon entropy of a pmf (or of unnormalised non-negative weights) in the given base. */
  public static double entropy(double[] weights, double base) {
    double total = 0;
    for (double w : weights) {
      if (w < 0 || Double.isNaN(w)) {
        throw new IllegalArgumentException("weights must be non-negative, got " + w);
      }
      total += w;
    }
    if (total == 0) {
      return 0;
    }
    double h = 0;
    for (double w : weights) {
      if (w > 0) {
        double p = w / total;
        h -= p * Math.log(p);
      }
    }
    return h / Math.log(base);
  }

  /** The marginal of {@code p[a][v][t]} on the kept axes, flat. */
  public static double[] marginal(double[][][] p, boolean keepA, boolean keepV, boolean keepT) {
    int na = p.length;
    int nv = p[0].length;
    int nt = p[0][0].length;
    int sa = keepA ? na : 1;
    int sv = keepV ? nv : 1;
    int st = keepT ? nt : 1;
    double[] out = new double[sa * sv * st];
    for (int a = 0; a < na; a++) {
      for (int v = 0; v < nv; v++) {
        for (int t = 0; t < nt; t++) {
          int ia = keepA ? a : 0;
          int iv = keepV ? v : 0;
          int it = keepT ? t : 0;
          out[(ia * sv + iv) * st + it] += p[a][v][t];
        }
      }
    }
    return out;
  }
}
