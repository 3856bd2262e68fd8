package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Dense profiles (int units) against {@link JointCounts}; the conditional null's kept tables. */
class DenseCellsTest {

  @Test
  void denseProfilesEqualTheTables() {
    SplittableRandom r = new SplittableRandom(2);
    DenseCells cells = new DenseCells();
    long[] counts = new long[60];
    for (int i = 0; i < 60; i++) {
      cells.indexOf(r.nextInt(5), r.nextInt(4), r.nextInt(6));
    }
    for (int i = 0; i < cells.size(); i++) {
      counts[i] = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(50);
    }
    long[] used = java.util.Arrays.copyOf(counts, cells.size());
    EntropyProfile[] expected = cells.table(used).profiles();
    EntropyProfile[] actual = cells.profiles(used);
    for (int w = 0; w < 2; w++) {
      Map<String, Double> e = expected[w].asMap();
      actual[w].asMap().forEach((q, v) -> assertEquals(e.get(q), v, 1e-12, q));
    }
  }

  /**
   * Runs of held units in which A copies V given T: the conditionally shuffled table keeps
   * (A,T), (V,T) and the frames, and its I(A;V|T) falls to the sampling floor.
   */
  @Test
  void conditionalNullKeepsTheTablesItConditionsOn() {
    double[][][] p = new double[4][4][2];
    for (int a = 0; a < 4; a++) {
      for (int t = 0; t < 2; t++) {
        p[a][a][t] = 1 / 8.0;
      }
    }
    UtteranceFrames frames = IntervalCoverageTest.generate(p, 200, 20, 0.5, 3);
    JointCounts total = UtteranceFrames.sum(frames.perUtterance());
    JointCounts shuffled = frames.conditionallyShuffled(4);
    Map<String, Double> before = total.profiles()[0].asMap();
    Map<String, Double> after = shuffled.profiles()[0].asMap();
    assertEquals(total.frames(), shuffled.frames());
    for (String q : List.of("H(A,T)", "H(V,T)", "H(T)")) {
      assertEquals(before.get(q), after.get(q), 1e-12, q);
    }
    assertEquals(Math.log(4), before.get("I(A;V|T)"), 0.01);
    assertEquals(0, after.get("I(A;V|T)"), 0.05);
  }
}
