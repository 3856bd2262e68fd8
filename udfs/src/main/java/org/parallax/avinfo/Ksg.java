package org.parallax.avinfo;

import java.util.Arrays;
import java.util.Random;

/**
 * The Kraskov-Stoegbauer-Grassberger estimator of mutual information between continuous
 * variables (Kraskov et al. 2004, algorithm 1, max-norm): for each sample the distance
 * {@code eps} to its k-th nearest neighbour in the joint space, the numbers {@code n_x}, {@code
 * n_y} of samples strictly closer than {@code eps} in each marginal space, and
 * {@code I = psi(k) + psi(N) - <psi(n_x + 1) + psi(n_y + 1)>} nats. The neighbour search runs on
 * {@link MaxNormTree}s (joint, x and y), O(N log N) for low dimensions, with the same
 * {@code eps}, {@code n_x} and {@code n_y} as an exhaustive O(N^2) scan. Ties (repeated values)
 * bias KSG; {@link #jitter} adds the customary tiny noise that breaks them. The interval is a
 * delete-a-block jackknife over blocks contiguous in the order the samples are given.
 */
public final class Ksg {
  /** Noise amplitude of {@link #jitter}, relative to each coordinate's standard deviation. */
  public static final double JITTER = 1e-10;

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
      double eps = tj.kthNeighbourDistance(i, k);
      sum += digamma(tx.countCloser(i, eps) + 1) + digamma(ty.countCloser(i, eps) + 1);
    }
    return digamma(k) + digamma(n) - sum / n;
  }

  /**
   * The estimate with a delete-a-block jackknife interval: {@code [estimate, low, high]} at the
   * normal quantile {@code z}, from {@link #blocks} contiguous blocks of the samples.
   */
  public static double[] withInterval(double[][] x, double[][] y, int k, int blocks, double z) {
    double full = estimate(x, y, k);
    int m = blocks(x.length, k, blocks);
    double[] leaveOut = new double[m];
    for (int b = 0; b < m; b++) {
      leaveOut[b] = estimate(withoutBlock(x, b, m), withoutBlock(y, b, m), k);
    }
    return jackknife(full, leaveOut, z);
  }

  /**
   * Jackknife blocks for {@code n} samples: {@code blocks}, or fewer so that a block holds at
   * least k + 2 samples; fewer than 2 means no interval.
   */
  public static int blocks(int n, int k, int blocks) {
    return Math.min(blocks, n / (k + 2));
  }

  /** {@code samples} without block {@code b} of {@code m} contiguous, near-equal blocks. */
  public static double[][] withoutBlock(double[][] samples, int b, int m) {
    int n = samples.length;
    int from = (int) ((long) b * n / m);
    int to = (int) ((long) (b + 1) * n / m);
    double[][] out = new double[n - (to - from)][];
    System.arraycopy(samples, 0, out, 0, from);
    System.arraycopy(samples, to, out, from, n - to);
    return out;
  }

  /**
   * {@code [full, low, high]}: the delete-a-block jackknife interval at normal quantile {@code
   * z} from the leave-one-block-out estimates (NaN bounds for fewer than 2).
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
   * A copy of {@code samples} with independent Gaussian noise of standard deviation
   * {@link #JITTER} times each coordinate's standard deviation (1 for a constant coordinate)
   * added, seeded: Kraskov et al.'s remedy for repeated values, whose zero distances would
   * otherwise make {@code eps} zero and the counts meaningless. Far below any feature's
   * resolution, so it changes nothing else.
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
