package org.parallax.avinfo;

/**
 * The reference for {@link Ksg}: KSG algorithm 1 by an exhaustive O(N^2) scan over all pairs,
 * written as plainly as possible, against which the tree-based search must agree exactly.
 */
final class KsgBruteForce {
  private KsgBruteForce() {}

  /** Per sample {@code [eps, n_x, n_y]}. */
  static double[][] neighbourhoods(double[][] x, double[][] y, int k) {
    int n = x.length;
    double[][] out = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] best = new double[k];
      java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
      for (int j = 0; j < n; j++) {
        if (j != i) {
          double d = Math.max(maxNorm(x[i], x[j]), maxNorm(y[i], y[j]));
          if (d < best[k - 1]) {
            best[k - 1] = d;
            java.util.Arrays.sort(best);
          }
        }
      }
      double eps = best[k - 1];
      int nx = 0;
      int ny = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          nx += maxNorm(x[i], x[j]) < eps ? 1 : 0;
          ny += maxNorm(y[i], y[j]) < eps ? 1 : 0;
        }
      }
      out[i] = new double[] {eps, nx, ny};
    }
    return out;
  }

  /** The KSG estimate in nats, summing in sample order as {@link Ksg#estimate} does. */
  static double estimate(double[][] x, double[][] y, int k) {
    double sum = 0;
    for (double[] h : neighbourhoods(x, y, k)) {
      sum += Ksg.digamma(h[1] + 1) + Ksg.digamma(h[2] + 1);
    }
    return Ksg.digamma(k) + Ksg.digamma(x.length) - sum / x.length;
  }

  static double maxNorm(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
