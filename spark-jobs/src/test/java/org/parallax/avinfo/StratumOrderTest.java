package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link BucketNulls#order} (one sort of packed keys, then stretches of equal prefixes sorted
 * again) gives the order of a plain comparator sort by (stratum, hash, tie): strata with negative
 * T, hashes of both signs, hashes equal in their top bits only, equal hashes left to the tie, one
 * and many strata, empty and single inputs.
 */
class StratumOrderTest {
  @Test
  void packedSortEqualsComparatorSort() {
    SplittableRandom r = new SplittableRandom(5);
    int[] sizes = {0, 1, 2, 3, 17, 1000, 40_000};
    int[] strataCounts = {1, 2, 300};
    for (int n : sizes) {
      for (int strata : strataCounts) {
        for (int hashes : new int[] {0, 1, 2}) {
          long[] stratum = new long[n];
          long[] hash = new long[n];
          int[] tie = new int[n];
          for (int i = 0; i < n; i++) {
            int t = r.nextInt(strata) - strata / 2;
            stratum[i] = (long) t << 32 | (1 + r.nextInt(5));
            long h = r.nextLong();
            // 0: any hash; 1: a few hashes differing in their low bits only; 2: a few equal.
            hash[i] = hashes == 0 ? h : hashes == 1 ? (h & 0xF) - (r.nextBoolean() ? 0 : 1L << 62)
                : r.nextInt(3) - 1;
            tie[i] = r.nextInt(1 << 20);
          }
          Comparator<Integer> byTie = Comparator.comparingInt(p -> tie[p]);
          Integer[] want = new Integer[n];
          Arrays.setAll(want, i -> i);
          Arrays.sort(want, Comparator.<Integer>comparingLong(p -> stratum[p])
              .thenComparingLong(p -> hash[p]).thenComparing(byTie.thenComparingInt(p -> p)));
          int[] got = BucketNulls.order(stratum, hash, byTie.thenComparingInt(p -> p));
          assertArrayEquals(Arrays.stream(want).mapToInt(Integer::intValue).toArray(), got,
              "n " + n + ", strata " + strata + ", hashes " + hashes);
        }
      }
    }
  }
}
