package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Benjamini-Hochberg against hand-computed values of R's {@code p.adjust(p, "BH")}. */
class BenjaminiHochbergTest {
  @Test
  void adjustedValuesMatchRsPAdjustBh() {
    // p = (0.01, 0.04, 0.03, 0.005, 0.5), m = 5. Sorted: 0.005 (i=1), 0.01 (2), 0.03 (3),
    // 0.04 (4), 0.5 (5); p * m / i = 0.025, 0.025, 0.05, 0.05, 0.5; running minimum from the
    // largest down: 0.5, 0.05, 0.05, 0.025, 0.025. In the input's order:
    // p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.5), "BH") = 0.025 0.05 0.05 0.025 0.5.
    assertArrayEquals(new double[] {0.025, 0.05, 0.05, 0.025, 0.5},
        BenjaminiHochberg.adjust(new double[] {0.01, 0.04, 0.03, 0.005, 0.5}), 1e-15);
    // A larger p that the minimum pulls down: p = (0.02, 0.021, 0.9, 0.022), m = 4. Sorted
    // 0.02, 0.021, 0.022, 0.9; times 4/i: 0.08, 0.042, 0.029333.., 0.9; minimum from the top:
    // 0.9, 0.029333.., 0.029333.., 0.029333.. (0.022 * 4 / 3 = 0.0293333...).
    double m = 0.022 * 4 / 3;
    assertArrayEquals(new double[] {m, m, 0.9, m},
        BenjaminiHochberg.adjust(new double[] {0.02, 0.021, 0.9, 0.022}), 1e-15);
    // Ties and the cap at 1: p = (0.6, 0.6, 0.9): 0.6 * 3 / 2 = 0.9, 0.9 * 3 / 3 = 0.9; the
    // first 0.6 * 3 / 1 = 1.8 is pulled down to 0.9. R: 0.9 0.9 0.9. A single 1: stays 1.
    assertArrayEquals(new double[] {0.9, 0.9, 0.9},
        BenjaminiHochberg.adjust(new double[] {0.6, 0.6, 0.9}), 1e-15);
    assertArrayEquals(new double[] {1}, BenjaminiHochberg.adjust(new double[] {1}), 0);
    // NaN (no test) stays NaN and is not counted: as R's NA, m = 2 here.
    double[] withNan = BenjaminiHochberg.adjust(new double[] {0.01, Double.NaN, 0.04});
    assertEquals(0.02, withNan[0], 1e-15);
    assertEquals(Double.NaN, withNan[1]);
    assertEquals(0.04, withNan[2], 1e-15);
    assertEquals(0, BenjaminiHochberg.adjust(new double[0]).length);
  }

  @Test
  void permutationPValuesCountTiesAgainstTheObserved() {
    // p = (1 + #{null >= observed}) / (N + 1).
    assertEquals(1 / 101.0, PermutationTest.pValue(0, 100), 0);
    assertEquals(1.0, PermutationTest.pValue(100, 100), 0);
    assertEquals(3 / 5.0, PermutationTest.pValue(0.5, new double[] {0.1, 0.5, 0.7, 0.2}), 0);
    // The same sum in another order ties: 0.1 + 0.2 + 0.3 is 0.6000000000000001.
    assertEquals(2 / 2.0, PermutationTest.pValue(0.6, new double[] {0.1 + 0.2 + 0.3}), 0);
    assertThrows(IllegalArgumentException.class, () -> PermutationTest.pValue(3, 2));
    assertThrows(IllegalArgumentException.class, () -> PermutationTest.pValue(0, 0));
  }

  @Test
  void aReportAdjustsEveryGroupsTestsTogether() {
    Map<String, long[]> counts = new LinkedHashMap<>();
    counts.put("alice", new long[] {0, 99, 0, 50, 9});
    counts.put("bob", new long[] {1, 4, 99, 0, 0});
    List<Significance> tests = Significance.of(counts, 99, 0.05);
    assertEquals(10, tests.size());
    double[] p = tests.stream().mapToDouble(Significance::pValue).toArray();
    double[] bh = BenjaminiHochberg.adjust(p);
    for (int i = 0; i < tests.size(); i++) {
      assertEquals(bh[i], tests.get(i).pBh(), 0);
      assertEquals(bh[i] <= 0.05, tests.get(i).significant());
    }
    // alice I(A;V): p = 1/100, four p-values of 0.01 among ten: 0.01 * 10 / 4 = 0.025.
    assertEquals("alice", tests.get(0).group());
    assertEquals("I(A;V)", tests.get(0).quantity());
    assertEquals(0.025, tests.get(0).pBh(), 1e-15);
    assertEquals(true, tests.get(0).significant());
    // bob I(A;V): p = 2/100, fifth smallest: 0.02 * 10 / 5 = 0.04.
    assertEquals(0.04, tests.get(5).pBh(), 1e-15);
  }
}
