package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * KSG algorithms 1 and 2 (Kraskov et al. 2004, eqs. 8 and 9), with and without a Theiler
 * window, against a plain O(N^2) loop written here from the paper and JIDT's
 * {@code MutualInfoCalculatorMultiVariateKraskov1/2} (dynamic correlation exclusion: neighbours
 * with {@code |t_j - t_i| <= W} left out of the search and the counts; psi(N) over all
 * samples), sharing no code with {@link Ksg}: its own digamma of integers (harmonic numbers),
 * its own sort of all distances.
 */
class KsgAlgorithmsTest {
  private static final double EULER_GAMMA = 0.5772156649015329;

  /** psi(m) = -gamma + sum_{j < m} 1/j for integers m >= 1. */
  private static double psi(int m) {
    double h = 0;
    for (int j = 1; j < m; j++) {
      h += 1.0 / j;
    }
    return h - EULER_GAMMA;
  }

  private static double norm(double[] a, double[] b) {
    double d = 0;
    for (int c = 0; c < a.length; c++) {
      d = Math.max(d, Math.abs(a[c] - b[c]));
    }
    return d;
  }

  /** The estimate by brute force: every distance, sorted, for every sample. */
  static double reference(double[][] x, double[][] y, int k, int algorithm, long[] t, int w) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      List<Integer> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i && (w == 0 || Math.abs(t[j] - t[i]) > w)) {
          others.add(j);
        }
      }
      int self = i;
      others.sort(Comparator.comparingDouble(j -> Math.max(norm(x[self], x[j]),
          norm(y[self], y[j]))));
      double eps = 0;
      double ex = 0;
      double ey = 0;
      for (int m = 0; m < k; m++) {
        int j = others.get(m);
        eps = Math.max(norm(x[i], x[j]), norm(y[i], y[j]));
        ex = Math.max(ex, norm(x[i], x[j]));
        ey = Math.max(ey, norm(y[i], y[j]));
      }
      int nx = 0;
      int ny = 0;
      for (int j : others) {
        if (algorithm == 1) {
          nx += norm(x[i], x[j]) < eps ? 1 : 0;
          ny += norm(y[i], y[j]) < eps ? 1 : 0;
        } else {
          nx += norm(x[i], x[j]) <= ex ? 1 : 0;
          ny += norm(y[i], y[j]) <= ey ? 1 : 0;
        }
      }
      sum += algorithm == 1 ? psi(nx + 1) + psi(ny + 1) : psi(nx) + psi(ny);
    }
    return psi(k) + psi(n) - sum / n - (algorithm == 2 ? 1.0 / k : 0);
  }

  /**
   * 8 utterances of 50 frames: x two coordinates (an AR(1) with coefficient 0.8 and white
   * noise), y = 0.6 x[0] + noise, so neighbours in time are also near in space (what a
   * Theiler window is for); times utterance * 2^32 + frame.
   */
  private static Object[] series() {
    Random r = new Random(47);
    int n = 400;
    double[][] x = new double[n][2];
    double[][] y = new double[n][1];
    long[] t = new long[n];
    double ar = 0;
    for (int i = 0; i < n; i++) {
      ar = i % 50 == 0 ? r.nextGaussian() : 0.8 * ar + 0.6 * r.nextGaussian();
      x[i][0] = ar;
      x[i][1] = r.nextGaussian();
      y[i][0] = 0.6 * ar + 0.8 * r.nextGaussian();
      t[i] = ((long) (i / 50) << 32) + i % 50;
    }
    return new Object[] {x, y, t};
  }

  @Test
  void bothAlgorithmsWithAndWithoutTheilerWindowEqualThePlainLoop() {
    Object[] s = series();
    double[][] x = (double[][]) s[0];
    double[][] y = (double[][]) s[1];
    long[] t = (long[]) s[2];
    for (int algorithm : new int[] {1, 2}) {
      for (int k : new int[] {1, 4}) {
        for (int w : new int[] {0, 1, 5}) {
          assertEquals(reference(x, y, k, algorithm, t, w), Ksg.estimate(x, y, k, algorithm, t,
              w), 1e-9, "algorithm " + algorithm + " k " + k + " window " + w);
        }
      }
    }
    // Pinned (the loop's values): k = 4, without and with a window of 5 frames. The truth is
    // -ln(1 - 0.36) / 2 = 0.2231 nats; temporal neighbours, near in x but not in y's noise,
    // pull the estimate without a window down.
    assertEquals(0.1482664960, Ksg.estimate(x, y, 4, 1, t, 0), 1e-9);
    assertEquals(0.1445368106, Ksg.estimate(x, y, 4, 2, t, 0), 1e-9);
    assertEquals(0.1815183474, Ksg.estimate(x, y, 4, 1, t, 5), 1e-9);
    assertEquals(0.1819783292, Ksg.estimate(x, y, 4, 2, t, 5), 1e-9);
  }

  @Test
  void algorithmOneWithoutWindowKeepsTodaysEstimate() {
    // The k-d tree path of algorithm 1 (k = 3) as before algorithm 2 and the window came: the
    // estimate on KsgTest's 100,000 jittered pairs (rho 0.9) to the last bit.
    double rho = 0.9;
    Random r = new Random(31);
    int n = 100_000;
    double[][] x = new double[n][1];
    double[][] y = new double[n][1];
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian();
      x[i][0] = a;
      y[i][0] = rho * a + Math.sqrt(1 - rho * rho) * r.nextGaussian();
    }
    assertEquals(0.8349029930167919, Ksg.estimate(Ksg.jitter(x, 1), Ksg.jitter(y, 2), 3, 1,
        null, 0), 0.0);
  }

  @Test
  void badSettingsAreRefused() {
    double[][] x = {{0}, {1}, {2}, {3}};
    long[] t = {0, 1, 2, 3};
    assertThrows(IllegalArgumentException.class, () -> Ksg.estimate(x, x, 1, 3, t, 0));
    assertThrows(IllegalArgumentException.class, () -> Ksg.estimate(x, x, 1, 1, null, 2));
    // Every other sample within 3 steps: no neighbour left.
    assertThrows(IllegalArgumentException.class, () -> Ksg.estimate(x, x, 1, 2, t, 3));
    assertThrows(IllegalArgumentException.class, () -> Ksg.estimate(x, x, 1, 1,
        new long[] {0, 2, 1, 3}, 1));
  }
}
