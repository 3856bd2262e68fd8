package org.parallax.avinfo;

import java.util.Arrays;
import java.util.Random;

/**
 * The Kraskov-Stoegbauer-Grassberger estimators (algorithms 1 and 2, Kraskov et al. 2004; max-norm)
 * of the mutual information of continuous variables, in nats, with JIDT's Theiler window (samples
 * within W time steps of a sample left out of its search and counts). Neighbours come from {@link
 * MaxNormTree}s with the same distances and counts as an exhaustive scan. Formulas: docs/avinfo.md.
 */
public final class Ksg {
  /** Noise amplitude of {@link #jitter}, relative to each coordinate's standard deviation. */
  public static final double JITTER = 1e-10;

  private Ksg() {}

  /** The KSG estimate (algorithm 1, no Theiler window) in nats of paired samples. */
  public static double estimate(double[][] x, double[][] y, int k) {
    return estimate(x, y, k, 1, null, 0);
  }

  /**
   * The KSG estimate in nats of paired samples taken at times {@code time} (non-decreasing; may be
   * null for a window of 0), by {@code algorithm} 1 or 2, leaving out neighbours within {@code
   * theiler} steps.
   */
  public static double estimate(double[][] x, double[][] y, int k, int algorithm, long[] time,
      int theiler) {
    int n = x.length;
    if (n != y.length) {
      throw new IllegalArgumentException("x has " + n + " samples, y " + y.length);
    }
    if (n <= k) {
      throw new IllegalArgumentException("KSG needs more than k = " + k + " samples, got " + n);
    }
    if (algorithm != 1 && algorithm != 2) {
      throw new IllegalArgumentException("KSG algorithm must be 1 or 2, got " + algorithm);
    }
    if (theiler < 0 || theiler > 0 && (time == null || time.length != n)) {
      throw new IllegalArgumentException("a Theiler window of " + theiler + " needs 0 or more "
          + "steps and one time per sample");
    }
    for (int i = 1; time != null && i < n; i++) {
      if (time[i] < time[i - 1]) {
        throw new IllegalArgumentException("sample times must not decrease, at sample " + i);
      }
    }
    double[][] joint = new double[n][];
    for (int i = 0; i < n; i++) {
      checkFinite(x[i], "x", i);
      checkFinite(y[i], "y", i);
      joint[i] = new double[x[i].length + y[i].length];
      System.arraycopy(x[i], 0, joint[i], 0, x[i].length);
      System.arraycopy(y[i], 0, joint[i], x[i].length, y[i].length);
    }
    MaxNormTree tj = new MaxNormTree(joint);
    MaxNormTree tx = new MaxNormTree(x);
    MaxNormTree ty = new MaxNormTree(y);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      int lo = i;
      int hi = i;
      while (theiler > 0 && lo > 0 && time[i] - time[lo - 1] <= theiler) {
        lo--;
      }
      while (theiler > 0 && hi + 1 < n && time[hi + 1] - time[i] <= theiler) {
        hi++;
      }
      if (algorithm == 1 && lo == hi) {
        double eps = tj.kthNeighbourDistance(i, k);
        sum += digamma(tx.countCloser(i, eps) + 1) + digamma(ty.countCloser(i, eps) + 1);
      } else {
        sum += outsideWindow(x, y, tj, tx, ty, i, lo, hi, k, algorithm);
      }
    }
    return digamma(k) + digamma(n) - sum / n - (algorithm == 2 ? 1.0 / k : 0);
  }

  /** Whether every sample has at least {@code k} others outside its Theiler window. */
  public static boolean enoughOutsideWindow(long[] time, int k, int theiler) {
    int n = time.length;
    int lo = 0;
    int hi = 0;
    for (int i = 0; i < n; i++) {
      while (time[i] - time[lo] > theiler) {
        lo++;
      }
      hi = Math.max(hi, i);
      while (hi + 1 < n && time[hi + 1] - time[i] <= theiler) {
        hi++;
      }
      if (n - 1 - (hi - lo) < k) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sample {@code i}'s digamma terms, its neighbours sought outside {@code [lo, hi]} (itself and
   * its window): the tree counts less the window's samples they counted.
   */
  private static double outsideWindow(double[][] x, double[][] y, MaxNormTree tj,
      MaxNormTree tx, MaxNormTree ty, int i, int lo, int hi, int k, int algorithm) {
    int excluded = hi - lo;
    if (x.length - 1 - excluded < k) {
      throw new IllegalArgumentException("sample " + i + " has " + (x.length - 1 - excluded)
          + " samples outside its Theiler window, KSG needs k = " + k);
    }
    double eps = 0;
    double epsX = 0;
    double epsY = 0;
    int taken = 0;
    for (int j : tj.nearestNeighbours(i, k + excluded)) {
      if ((j < lo || j > hi) && taken < k) {
        taken++;
        double dx = maxNorm(x[i], x[j]);
        double dy = maxNorm(y[i], y[j]);
        eps = Math.max(dx, dy);
        epsX = Math.max(epsX, dx);
        epsY = Math.max(epsY, dy);
      }
    }
    // Algorithm 1 counts strictly closer than eps, 2 within or on eps_x, eps_y: a distance is
    // at most r exactly when it is below the next double above r.
    double rx = algorithm == 1 ? eps : Math.nextUp(epsX);
    double ry = algorithm == 1 ? eps : Math.nextUp(epsY);
    int nx = tx.countCloser(i, rx);
    int ny = ty.countCloser(i, ry);
    for (int j = lo; j <= hi; j++) {
      if (j != i) {
        nx -= maxNorm(x[i], x[j]) < rx ? 1 : 0;
        ny -= maxNorm(y[i], y[j]) < ry ? 1 : 0;
      }
    }
    return algorithm == 1 ? digamma(nx + 1) + digamma(ny + 1) : digamma(nx) + digamma(ny);
  }

  private static double maxNorm(double[] a, double[] b) {
    double d = 0;
    for (int c = 0; c < a.length; c++) {
      d = Math.max(d, Math.abs(a[c] - b[c]));
    }
    return d;
  }

  /**
   * Jackknife blocks for {@code n} samples: {@code blocks}, or fewer so that a block holds at
   * least k + 2 samples; fewer than 2 means no interval.
   */
  public static int blocks(int n, int k, int blocks) {
    return Math.min(blocks, n / (k + 2));
  }

  /** An array without block {@code b} of {@code m} contiguous, near-equal blocks. */
  @SuppressWarnings("unchecked")
  public static <A> A withoutBlock(A samples, int b, int m) {
    int n = java.lang.reflect.Array.getLength(samples);
    int from = (int) ((long) b * n / m);
    int to = (int) ((long) (b + 1) * n / m);
    A out = (A) java.lang.reflect.Array.newInstance(samples.getClass().getComponentType(),
        n - (to - from));
    System.arraycopy(samples, 0, out, 0, from);
    System.arraycopy(samples, to, out, from, n - to);
    return out;
  }

  /**
   * {@code [full, low, high]}: the delete-a-block jackknife interval at normal quantile {@code z}
   * (NaN bounds below 2 blocks).
   */
  public static double[] jackknife(double full, double[] leaveOut, double z) {
    int m = leaveOut.length;
    if (m < 2) {
      return new double[] {full, Double.NaN, Double.NaN};
    }
    double mean = Arrays.stream(leaveOut).average().orElse(full);
    double var = 0;
    for (double v : leaveOut) {
      var += (v - mean) * (v - mean);
    }
    double se = Math.sqrt(var * (m - 1) / m);
    return new double[] {full, full - z * se, full + z * se};
  }

  /**
   * A copy of {@code samples} with seeded Gaussian noise of {@link #JITTER} times each coordinate's
   * standard deviation (1 if constant) added, which breaks ties far below any feature's resolution.
   */
  public static double[][] jitter(double[][] samples, long seed) {
    int n = samples.length;
    if (n == 0) {
      return new double[0][];
    }
    int dims = samples[0].length;
    for (int i = 0; i < n; i++) {
      if (samples[i].length != dims) {
        throw new IllegalArgumentException("sample " + i + " has " + samples[i].length
            + " coordinates, sample 0 has " + dims);
      }
    }
    double[] scale = new double[dims];
    for (int d = 0; d < dims; d++) {
      double mean = 0;
      for (double[] s : samples) {
        mean += s[d];
      }
      mean /= n;
      double var = 0;
      for (double[] s : samples) {
        var += (s[d] - mean) * (s[d] - mean);
      }
      double sd = Math.sqrt(var / n);
      scale[d] = JITTER * (sd > 0 ? sd : 1);
    }
    Random r = new Random(seed);
    double[][] out = new double[n][dims];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dims; d++) {
        out[i][d] = samples[i][d] + scale[d] * r.nextGaussian();
      }
    }
    return out;
  }

  private static void checkFinite(double[] v, String name, int i) {
    for (double c : v) {
      if (!Double.isFinite(c)) {
        throw new IllegalArgumentException(name + "[" + i + "] has a non-finite coordinate " + c);
      }
    }
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
