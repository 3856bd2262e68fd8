package org.parallax.recsys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A host batch refilled from a larger one's arrays (and from a cleared, refilled user batch)
 * holds exactly what a fresh one holds over the lengths the device reads: nothing of the earlier
 * batch leaks into the padding, the dense candidate matrix or the label arrays.
 */
class HostBatchTest {
  private static final int ITEMS = 50;
  private static final int FANOUT = 4;

  @Test
  void aRefilledHostBatchEqualsAFreshOne() {
    SplittableRandom r = new SplittableRandom(5);
    ContextGnnConfig config = new ContextGnnConfig(ITEMS, 8, FANOUT, 0, 2, 30, 7);
    // Two trainers with the same seed draw the same sampled candidates in the same order.
    try (ContextGnnTrainer fresh = new ContextGnnTrainer(config, new long[0], 0.05f, 1e-4f, 20,
            24, 3);
        ContextGnnTrainer reused = new ContextGnnTrainer(config, new long[0], 0.05f, 1e-4f, 20,
            24, 3)) {
      UserBatch refilled = new UserBatch(12, FANOUT);
      HostBatch h = null;
      for (int b = 0; b < 6; b++) {
        // Full batches with long histories first, then shorter batches with shorter ones.
        int users = b < 2 ? 12 : 12 - 2 * b;
        UserBatch batch = new UserBatch(12, FANOUT);
        refilled.clear();
        int[][] positives = new int[users][];
        for (int u = 0; u < users; u++) {
          batch.addUser(u % 2);
          refilled.addUser(u % 2);
          int history = b < 2 ? FANOUT : r.nextInt(FANOUT);
          for (int f = 0; f < history; f++) {
            int item = r.nextInt(ITEMS);
            double recency = 0.5 + r.nextInt(20);
            long count = 1 + r.nextInt(3);
            double decayed = r.nextDouble();
            batch.addFamiliar(item, recency, count, decayed, f + 1);
            refilled.addFamiliar(item, recency, count, decayed, f + 1);
          }
          positives[u] = b < 2 ? new int[] {r.nextInt(ITEMS), r.nextInt(ITEMS), r.nextInt(ITEMS)}
              : new int[] {r.nextInt(ITEMS)};
        }
        HostBatch want = fresh.hostBatch(batch, positives, null);
        HostBatch before = h;
        h = reused.hostBatch(refilled, positives, h);
        if (b > 0) {
          assertSame(before, h);
        }
        assertEquals(want.users, h.users);
        assertEquals(want.columns, h.columns);
        assertEquals(want.labels, h.labels);
        int n = users * FANOUT;
        assertArrayEquals(want.items, Arrays.copyOf(h.items, n));
        assertArrayEquals(want.mask, Arrays.copyOf(h.mask, n));
        assertArrayEquals(want.features,
            Arrays.copyOf(h.features, n * PairFeatures.SIZE));
        assertArrayEquals(want.contexts, Arrays.copyOf(h.contexts, users));
        assertArrayEquals(want.candidates, h.candidates);
        assertArrayEquals(want.dense, Arrays.copyOf(h.dense, users * want.columns));
        assertArrayEquals(want.familiar, Arrays.copyOf(h.familiar, want.labels));
        assertArrayEquals(want.pairAt, Arrays.copyOf(h.pairAt, want.labels));
        assertArrayEquals(want.towerAt, Arrays.copyOf(h.towerAt, want.labels));
        assertArrayEquals(want.userOf, Arrays.copyOf(h.userOf, want.labels));
      }
    }
  }
}
