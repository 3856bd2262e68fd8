package org.parallax.avinfo;

import java.util.Arrays;

/**
 * The Kraskov-Stoegbauer-Grassberger estimator of mutual information between continuous
 * variables (Kraskov et al. 2004, algorithm 1, max-norm): for each sample the distance
 * {@code eps} to its k-th nearest neighbour in the joint space, the numbers {@code n_x}, {@code
 * n_y} of samples strictly closer than {@code eps} in each marginal space, and
 * {@code I = psi(k) + psi(N) - <psi(n_x + 1) + psi(n_y + 1)>} nats. Exact neighbour search,
 * O(N^2 (d_x + d_y)): meant for samples of thousands of points per group. The interval is a
 * delete-a-block jackknife.
 */
public final class Ksg {
  private Ksg() {}

  /** The KSG estimate in nats for paired samples {@code x[i]}, {@code y[i]}. */
  public static double estimate(double[][] x, double[][] y, int k) {
    int n = x.length;
    if (n != y.length) {
      throw new IllegalArgumentException("x has " + n + " samples, y " + y.length);
    }
    if (n <= k) {
      throw new IllegalArgumentException("KSG needs more than k = " + k + " samples, got " + n);
    }
    double[] dx = new double[n];
    double[] dy = new double[n];
    double[] joint = new double[n];
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        dx[j] = maxNorm(x[i], x[j]);
        dy[j] = maxNorm(y[i], y[j]);
        joint[j] = j == i ? Double.POSITIVE_INFINITY : Math.max(dx[j], dy[j]);
      }
      double eps = kthSmallest(joint, k);
      int nx = 0;
      int ny = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          if (dx[j] < eps) {
            nx++;
          }
          if (dy[j] < eps) {
            ny++;
          }
        }
      }
      sum += digamma(nx + 1) + digamma(ny + 1);
    }
    return digamma(k) + digamma(n) - sum / n;
  }

  /**
   * The estimate with a delete-a-block jackknife interval: {@code [estimate, low, high]} at the
   * normal quantile {@code z}, from {@code blocks} contiguous blocks of the samples.
   */
  public static double[] withInterval(double[][] x, double[][] y, int k, int blocks, double z) {
    double full = estimate(x, y, k);
    int n = x.length;
    int m = Math.min(blocks, n / (k + 2));
    if (m < 2) {
      return new double[] {full, Double.NaN, Double.NaN};
    }
    double[] leaveOut = new double[m];
    for (int b = 0; b < m; b++) {
      int from = (int) ((long) b * n / m);
      int to = (int) ((long) (b + 1) * n / m);
      double[][] xs = new double[n - (to - from)][];
      double[][] ys = new double[xs.length][];
      for (int i = 0, o = 0; i < n; i++) {
        if (i < from || i >= to) {
          xs[o] = x[i];
          ys[o++] = y[i];
        }
      }
      leaveOut[b] = estimate(xs, ys, k);
    }
    double mean = Arrays.stream(leaveOut).average().orElse(full);
    double var = 0;
    for (double v : leaveOut) {
      var += (v - mean) * (v - mean);
    }
    double se = Math.sqrt(var * (m - 1) / m);
    return new double[] {full, full - z * se, full + z * se};
  }

  private static double maxNorm(double[] a, double[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  private static double kthSmallest(double[] values, int k) {
    double[] copy = values.clone();
    Arrays.sort(copy);
    return copy[k - 1];
  }

  /** The digamma function: recurrence up to 6, then the asymptotic series. */
  public static double digamma(double x) {
    double result = 0;
    while (x < 6) {
      result -= 1 / x;
      x += 1;
    }
    double f = 1 / (x * x);
    return result + Math.log(x) - 0.5 / x
        - f * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f / 132))));
  }
}
