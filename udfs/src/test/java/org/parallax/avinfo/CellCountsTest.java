package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link CellCounts} against a boxed map, through growth, slots, packing and emptying. */
class CellCountsTest {
  @Test
  void countsLikeABoxedMap() {
    SplittableRandom random = new SplittableRandom(5);
    CellCounts cells = new CellCounts();
    for (int round = 0; round < 3; round++) {
      // Each round refills the emptied table: no cell of an earlier round may remain.
      cells.clear();
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
        int slot = cells.find(k.get(0), k.get(1), k.get(2));
        assertEquals(e.getValue(), cells.countAt(slot));
        assertEquals(k, List.of(cells.unitAt(slot, 0), cells.unitAt(slot, 1),
            cells.unitAt(slot, 2)));
      }
      assertEquals(0, cells.get(17, 99, -1));
      assertEquals(-1, cells.find(17, 99, -1));
      long[] packed = cells.packed();
      assertEquals(4 * expected.size(), packed.length);
      Map<List<Integer>, Long> unpacked = new HashMap<>();
      for (int i = 0; i < packed.length; i += 4) {
        unpacked.put(List.of((int) packed[i], (int) packed[i + 1], (int) packed[i + 2]),
            packed[i + 3]);
      }
      assertEquals(expected, unpacked);
    }
  }
}
