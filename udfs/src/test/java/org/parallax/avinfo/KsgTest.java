package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * KSG against the closed-form mutual information of a bivariate Gaussian, and its tree search
 * against the exhaustive scan of {@link KsgBruteForce}.
 */
class KsgTest {
  private static final double RHO = 0.9;

  /** {@code n} pairs of a standard bivariate Gaussian with correlation {@link #RHO}. */
  private static double[][][] gaussian(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][1];
    double[][] y = new double[n][1];
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian();
      x[i][0] = a;
      y[i][0] = RHO * a + Math.sqrt(1 - RHO * RHO) * r.nextGaussian();
    }
    return new double[][][] {x, y};
  }

  @Test
  void treeSearchEqualsTheExhaustiveScanOnFiveThousandSamples() {
    double[][][] g = gaussian(5000, 23);
    double[][] x = Ksg.jitter(g[0], 1);
    double[][] y = Ksg.jitter(g[1], 2);
    assertEquals(KsgBruteForce.estimate(x, y, 3), Ksg.estimate(x, y, 3), 0.0);
    assertEquals(KsgBruteForce.estimate(x, y, 1), Ksg.estimate(x, y, 1), 0.0);
  }

  @Test
  void treeSearchEqualsTheExhaustiveScanOnTiedMultivariateSamples() {
    Random r = new Random(29);
    int n = 1200;
    double[][] x = new double[n][2];
    double[][] y = new double[n][1];
    for (int i = 0; i < n; i++) {
      x[i][0] = r.nextInt(6);
      x[i][1] = r.nextInt(4) * 0.5;
      y[i][0] = x[i][0] + r.nextInt(3);
    }
    assertEquals(KsgBruteForce.estimate(x, y, 4), Ksg.estimate(x, y, 4), 0.0);
    double[][] jx = Ksg.jitter(x, 5);
    double[][] jy = Ksg.jitter(y, 6);
    assertEquals(KsgBruteForce.estimate(jx, jy, 4), Ksg.estimate(jx, jy, 4), 0.0);
  }

  @Test
  void hundredThousandSamplesLandNearTheTruth() {
    double truth = -0.5 * Math.log(1 - RHO * RHO);
    double[][][] g = gaussian(100_000, 31);
    long t0 = System.nanoTime();
    double est = Ksg.estimate(Ksg.jitter(g[0], 1), Ksg.jitter(g[1], 2), 3);
    System.out.printf("KSG on 100000 samples: %.4f nats (truth %.4f) in %.2f s%n", est, truth,
        (System.nanoTime() - t0) / 1e9);
    assertEquals(truth, est, 0.03);
  }

  @Test
  void jitterIsSeededTinyAndBreaksTies() {
    double[][] v = new double[500][2];
    for (int i = 0; i < v.length; i++) {
      v[i][0] = i % 5;
      v[i][1] = 7;
    }
    double[][] a = Ksg.jitter(v, 9);
    assertTrue(java.util.Arrays.deepEquals(a, Ksg.jitter(v, 9)));
    assertTrue(!java.util.Arrays.deepEquals(a, Ksg.jitter(v, 10)));
    double sd0 = Math.sqrt(2);
    java.util.Set<Double> distinct = new java.util.HashSet<>();
    for (int i = 0; i < v.length; i++) {
      assertTrue(Math.abs(a[i][0] - v[i][0]) < 1e-9 * sd0, "coordinate 0 of " + i);
      // A constant coordinate takes noise of scale 1.
      assertTrue(Math.abs(a[i][1] - 7) < 1e-9 && a[i][1] != 7, "coordinate 1 of " + i);
      distinct.add(a[i][0]);
    }
    assertEquals(v.length, distinct.size());
  }
  @Test
  void digammaMatchesKnownValues() {
    assertEquals(-0.5772156649, Ksg.digamma(1), 1e-9);
    assertEquals(1 - 0.5772156649, Ksg.digamma(2), 1e-9);
    assertEquals(Math.log(1000) - 1 / 2000.0 - 1 / 12e6, Ksg.digamma(1000), 1e-9);
  }

  @Test
  void bivariateGaussianWithRhoNineTenths() {
    double rho = 0.9;
    double truth = -0.5 * Math.log(1 - rho * rho); // 0.8304 nats
    assertEquals(0.8304, truth, 1e-4);
    Random r = new Random(11);
    int n = 2000;
    double[][] x = new double[n][1];
    double[][] y = new double[n][1];
    for (int i = 0; i < n; i++) {
      double a = r.nextGaussian();
      x[i][0] = a;
      y[i][0] = rho * a + Math.sqrt(1 - rho * rho) * r.nextGaussian();
    }
    int m = Ksg.blocks(n, 3, 10);
    double[] leaveOut = new double[m];
    for (int b = 0; b < m; b++) {
      leaveOut[b] = Ksg.estimate(Ksg.withoutBlock(x, b, m), Ksg.withoutBlock(y, b, m), 3);
    }
    double[] est = Ksg.jackknife(Ksg.estimate(x, y, 3), leaveOut, 1.96);
    assertEquals(truth, est[0], 0.05);
    assertTrue(est[1] <= truth && truth <= est[2], "interval " + est[1] + ".." + est[2]);
    assertTrue(est[2] - est[1] < 0.2, "interval width " + (est[2] - est[1]));
  }

  @Test
  void independentVariablesHaveNearZeroInformation() {
    Random r = new Random(5);
    double[][] x = new double[1000][2];
    double[][] y = new double[1000][1];
    for (int i = 0; i < 1000; i++) {
      x[i][0] = r.nextGaussian();
      x[i][1] = r.nextGaussian();
      y[i][0] = r.nextGaussian();
    }
    assertEquals(0, Ksg.estimate(x, y, 3), 0.05);
  }
}
