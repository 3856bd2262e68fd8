package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tree's answers against an exhaustive scan, point by point, ties and duplicates included.
 */
class MaxNormTreeTest {
  @Test
  void kthDistanceAndStrictCountsEqualAScanOnTiedPoints() {
    Random r = new Random(3);
    int n = 1500;
    double[][] p = new double[n][3];
    for (int i = 0; i < n; i++) {
      // Coarse grid values: many equal coordinates, equal distances and duplicate points.
      for (int d = 0; d < 3; d++) {
        p[i][d] = r.nextInt(9) * 0.25 - (d == 2 ? 1e-3 * r.nextInt(2) : 0);
      }
    }
    MaxNormTree tree = new MaxNormTree(p);
    for (int i = 0; i < n; i++) {
      double[] d = new double[n - 1];
      for (int j = 0, o = 0; j < n; j++) {
        if (j != i) {
          d[o++] = KsgBruteForce.maxNorm(p[i], p[j]);
        }
      }
      Arrays.sort(d);
      for (int k : new int[] {1, 3, 40}) {
        assertEquals(d[k - 1], tree.kthNeighbourDistance(i, k), 0.0, "point " + i + " k " + k);
      }
      for (double radius : new double[] {0, 0.25, 0.5, d[2], 0.2499, 3}) {
        int closer = 0;
        for (double v : d) {
          closer += v < radius ? 1 : 0;
        }
        assertEquals(closer, tree.countCloser(i, radius), "point " + i + " radius " + radius);
      }
    }
  }

  @Test
  void oneDimensionalCountsEqualAScan() {
    Random r = new Random(13);
    int n = 2000;
    double[][] p = new double[n][1];
    for (int i = 0; i < n; i++) {
      p[i][0] = i % 3 == 0 ? r.nextInt(50) * 0.1 : r.nextGaussian();
    }
    MaxNormTree tree = new MaxNormTree(p);
    for (int i = 0; i < n; i++) {
      double next = Math.abs(p[i][0] - p[(i + 1) % n][0]);
      for (double radius : new double[] {0, 0.1, 0.3, 1e-3, next}) {
        int closer = 0;
        for (int j = 0; j < n; j++) {
          closer += j != i && Math.abs(p[i][0] - p[j][0]) < radius ? 1 : 0;
        }
        assertEquals(closer, tree.countCloser(i, radius), "point " + i + " radius " + radius);
      }
    }
  }

  @Test
  void rejectsKThatLeavesNoNeighbour() {
    MaxNormTree tree = new MaxNormTree(new double[][] {{0}, {1}});
    assertEquals(1.0, tree.kthNeighbourDistance(0, 1), 0.0);
    assertThrows(IllegalArgumentException.class, () -> tree.kthNeighbourDistance(0, 2));
  }
}
