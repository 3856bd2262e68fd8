package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EntropyProfileTest {
  private static final double EPS = 1e-12;

  @Test
  void xorHasMinusOneBitOfCoInformation() {
    // T = A xor V with A, V independent fair bits.
    double[][][] p = new double[2][2][2];
    for (int a = 0; a < 2; a++) {
      for (int v = 0; v < 2; v++) {
        p[a][v][a ^ v] = 0.25;
      }
    }
    EntropyProfile e = EntropyProfile.of(p, 2);
    assertEquals(0.0, e.miAV(), EPS);
    assertEquals(1.0, e.miAVgivenT(), EPS);
    assertEquals(-1.0, e.coInformation(), EPS);
    assertEquals(0.0, e.hTgivenAV(), EPS);
  }

  @Test
  void binarySymmetricChannelWithUniformInput() {
    // A uniform bit, V = A flipped with probability 0.1, T constant.
    double[][][] p = new double[2][2][1];
    for (int a = 0; a < 2; a++) {
      for (int v = 0; v < 2; v++) {
        p[a][v][0] = 0.5 * (a == v ? 0.9 : 0.1);
      }
    }
    assertEquals(0.5310, EntropyProfile.of(p, 2).miAV(), 5e-5);
  }

  @Test
  void coverThomasExample221() {
    // Cover & Thomas example 2.2.1: joint of X (columns) and Y (rows); I(X;Y) = 3/8 bit.
    double[][] xy = {
      {1 / 8.0, 1 / 16.0, 1 / 32.0, 1 / 32.0},
      {1 / 16.0, 1 / 8.0, 1 / 32.0, 1 / 32.0},
      {1 / 16.0, 1 / 16.0, 1 / 16.0, 1 / 16.0},
      {1 / 4.0, 0, 0, 0}};
    double[][][] p = new double[4][4][1];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        p[x][y][0] = xy[y][x];
      }
    }
    EntropyProfile e = EntropyProfile.of(p, 2);
    assertEquals(7 / 4.0, e.hA(), EPS);
    assertEquals(2.0, e.hV(), EPS);
    assertEquals(27 / 8.0, e.hAV(), EPS);
    assertEquals(3 / 8.0, e.miAV(), EPS);
  }

  @Test
  void natsAndNegativeWeights() {
    assertEquals(Math.log(4), InformationMeasures.entropy(new double[] {1, 1, 1, 1}, Math.E), EPS);
    assertThrows(IllegalArgumentException.class,
        () -> InformationMeasures.entropy(new double[] {1, -1}, 2));
  }
}
