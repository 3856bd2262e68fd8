package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** KSG against the closed-form mutual information of a bivariate Gaussian. */
class KsgTest {
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
    double[] est = Ksg.withInterval(x, y, 3, 10, 1.96);
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
