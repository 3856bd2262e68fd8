package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link CellCounts} against a boxed map, through growth, clearing and packing. */
class CellCountsTest {
  @Test
  void countsLikeABoxedMap() {
    SplittableRandom random = new SplittableRandom(5);
    CellCounts cells = new CellCounts();
    for (int round = 0; round < 3; round++) {
      Map<List<Integer>, Long> expected = new HashMap<>();
      // Wide and negative units, many collisions of the small ones, thousands of cells.
      for (int i = 0; i < 20_000; i++) {
        int a = random.nextInt(3) == 0 ? random.nextInt() : random.nextInt(16);
        int v = random.nextInt(5) - 2;
        int t = random.nextInt(40);
        long c = 1 + random.nextInt(7);
        cells.add(a, v, t, c);
        expected.merge(List.of(a, v, t), c, Long::sum);
      }
      Map<List<Integer>, Long> actual = new HashMap<>();
      cells.forEachInt((a, v, t, c) -> actual.put(List.of(a, v, t), c));
      assertEquals(expected, actual);
      assertEquals(expected.size(), cells.size());
      for (Map.Entry<List<Integer>, Long> e : expected.entrySet()) {
        List<Integer> k = e.getKey();
        assertEquals(e.getValue(), cells.get(k.get(0), k.get(1), k.get(2)));
      }
      assertEquals(0, cells.get(17, 99, -1));
      long[] packed = cells.packed();
      assertEquals(4 * expected.size(), packed.length);
      Map<List<Integer>, Long> unpacked = new HashMap<>();
      for (int i = 0; i < packed.length; i += 4) {
        unpacked.put(List.of((int) packed[i], (int) packed[i + 1], (int) packed[i + 2]),
            packed[i + 3]);
      }
      assertEquals(expected, unpacked);
      cells.clear();
      assertEquals(0, cells.size());
    }
  }

  @Test
  void profilesOfPackedCellsEqualTheBoxedTable() {
    SplittableRandom random = new SplittableRandom(9);
    JointCounts boxed = new JointCounts();
    CellCounts cells = new CellCounts();
    for (int i = 0; i < 5_000; i++) {
      int a = random.nextInt(16);
      int v = random.nextInt(5);
      int t = random.nextInt(12);
      boxed.add(a, v, t, 1);
      cells.add(a, v, t, 1);
    }
    long[] packed = cells.packed();
    // Two partial tables concatenated sum to the whole.
    long[] twice = java.util.Arrays.copyOf(packed, 2 * packed.length);
    System.arraycopy(packed, 0, twice, packed.length, packed.length);
    TableProfiles table = TableProfiles.of(packed);
    EntropyProfile[] h = table.profiles();
    assertEquals(5_000, table.frames());
    EntropyProfile[] expected = boxed.profiles();
    for (int w = 0; w < 2; w++) {
      double[] x = expected[w].values();
      double[] y = h[w].values();
      for (int q = 0; q < x.length; q++) {
        assertEquals(x[q], y[q], 1e-12, "estimator " + w + " quantity " + q);
      }
    }
    TableProfiles doubledTable = TableProfiles.of(twice);
    double[] doubled = doubledTable.profiles()[0].values();
    assertEquals(10_000, doubledTable.frames());
    assertEquals(expected[0].values()[6], doubled[6], 1e-12, "H(A,V,T) of the doubled table");
    // Leaving a part out (half of the first cells, all of one) equals the boxed table of the
    // rest.
    JointCounts rest = new JointCounts();
    TableProfiles part = new TableProfiles();
    for (int k = 0; k < packed.length; k += 4) {
      long c = k >= 40 ? 0 : k == 0 ? packed[3] : packed[k + 3] / 2;
      part.add((int) packed[k], (int) packed[k + 1], (int) packed[k + 2], c);
      rest.add((int) packed[k], (int) packed[k + 1], (int) packed[k + 2], packed[k + 3] - c);
    }
    double[] sums = new double[7];
    long[] cellsPerTable = new long[7];
    table.sums(sums, cellsPerTable);
    double[] want = rest.profiles()[1].values();
    double[] got = table.profilesWithout(part, sums, cellsPerTable)[1].values();
    for (int q = 0; q < want.length; q++) {
      assertEquals(want[q], got[q], 1e-12, "left out, quantity " + q);
    }
  }
}
