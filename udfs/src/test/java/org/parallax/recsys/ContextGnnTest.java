package org.parallax.recsys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ContextGNN in DJL: the exact merge, learning both signals, blocked top-k = brute force. */
class ContextGnnTest {
  @TempDir Path tmp;

  @Test
  void mergeReplacesTowerScoresOfFamiliarItems() {
    // Tower: 5 > 4 > 3 > 2 > 1 (items 0..4); item 1 is familiar with pair score 9, item 0
    // familiar with pair score -1, so the merged order is 1, 2, 3, and 0 drops out.
    Recommendations r = TopKMerge.merge(new int[] {0, 1, 2, 3, 4},
        new float[] {5, 4, 3, 2, 1}, new int[] {1, 0}, new float[] {9, -1}, 3);
    assertArrayEquals(new int[] {1, 2, 3}, r.items());
    assertArrayEquals(new boolean[] {true, false, false}, r.familiar());
    assertArrayEquals(new int[] {0, 1, 2}, r.towerItems());
    assertArrayEquals(new int[] {1, 0}, r.pairItems());
  }

  /**
   * Users of group g buy, half of the time, their most recent item again and otherwise any item
   * of their group (item % 4 == g): the model must learn the group (two-tower) from the
   * familiar items and the recency rule (pair-wise).
   */
  @Test
  void learnsRepeatAndGroupSignalsAndScoresExactly() {
    int items = 40;
    int fanout = 4;
    ContextGnnConfig config = new ContextGnnConfig(items, 16, fanout, 1, 8, 30);
    long[] attributes = new long[items];
    for (int i = 0; i < items; i++) {
      attributes[i] = i % 4;
    }
    SplittableRandom r = new SplittableRandom(7);
    double first = 0;
    double last = 0;
    try (ContextGnnTrainer trainer = new ContextGnnTrainer(config, attributes, 0.02f, 0f, 100_000, 0,
        3)) {
      for (int step = 0; step < 200; step++) {
        UserBatch batch = new UserBatch(32, fanout);
        int[][] positives = new int[32][];
        for (int u = 0; u < 32; u++) {
          batch.addUser();
          int group = r.nextInt(4);
          int recent = -1;
          for (int f = 0; f < 3; f++) {
            int item = group + 4 * r.nextInt(10);
            if (batch.addFamiliar(item, f * 3 + 0.5, 1, 0.5, f + 1) && f == 0) {
              recent = item;
            }
          }
          int fresh = group + 4 * r.nextInt(10);
          positives[u] = new int[] {r.nextBoolean() ? recent : fresh};
        }
        double loss = trainer.step(batch, positives);
        if (step < 10) {
          first += loss / 10;
        }
        if (step >= 190) {
          last += loss / 10;
        }
      }
      // Uniform over 40 items is ln 40 = 3.69; the best possible is about
      // 0.5 * ln 2 + 0.5 * ln 20 = 1.84 (recent item at 1/2, the group's other items share 1/2).
      assertTrue(first > 2.5 && last < 2.05, "loss " + first + " -> " + last);
      trainer.save(tmp, ids(items), attributes);
    }
    ContextGnnModel model = ContextGnnModel.get(tmp);
    assertEquals(items, model.config().items());
    UserBatch batch = new UserBatch(64, fanout);
    int repeatsFirst = 0;
    for (int u = 0; u < 64; u++) {
      batch.addUser();
      for (int f = 0; f < 3; f++) {
        batch.addFamiliar((u % 4) + 4 * ((u + 3 * f) % 10), f * 3 + 0.5, 1, 0.5, f + 1);
      }
    }
    Recommendations[] blocked = model.recommend(batch, 5, 7);
    Recommendations[] brute = model.bruteForce(batch, 5);
    for (int u = 0; u < 64; u++) {
      assertTrue(blocked[u].agrees(brute[u], 1e-4f), "user " + u);
      assertArrayEquals(brute[u].items(), blocked[u].items());
      if (blocked[u].items()[0] == batch.familiar(u, 0)) {
        repeatsFirst++;
      }
      // The tower half ranks the user's group first.
      assertEquals(u % 4, blocked[u].towerItems()[0] % 4, "user " + u);
    }
    assertTrue(repeatsFirst >= 60, "most recent item ranked first for " + repeatsFirst + "/64");
  }

  /**
   * The direct paths reproduce the baselines exactly: with the popularity setting every user's
   * top-k is the items by interactions in the window (ties by index), at the user's own cutoff;
   * with the past-visits setting the familiar items come first, most recent first, then the
   * popular ones. After training steps (gates open), the trainer's validation ranking is the
   * saved model's blocked ranking at the same cutoff.
   */
  @Test
  void directPathsReproduceTheBaselinesAndTrainerRanksAsTheSavedModel() {
    int items = 30;
    int fanout = 4;
    int k = 6;
    ContextGnnConfig config = new ContextGnnConfig(items, 8, fanout, 0, 2, 30, 7);
    SplittableRandom r = new SplittableRandom(11);
    float[] table = new float[2 * items * ItemFeatures.SIZE];
    long[][] recent = new long[2][items];
    for (int c = 0; c < 2; c++) {
      for (int i = 0; i < items; i++) {
        recent[c][i] = r.nextInt(6);
        ItemFeatures.encode(recent[c][i], 1 + r.nextInt(9), r.nextInt(40), table,
            (c * items + i) * ItemFeatures.SIZE);
      }
    }
    UserBatch batch = new UserBatch(8, fanout);
    for (int u = 0; u < 8; u++) {
      batch.addUser(u % 2);
      for (int f = 0; f < u % 4; f++) {
        batch.addFamiliar((u * 7 + f * 5) % items, f + 0.5, 1, 0.5, f + 1);
      }
    }
    try (ContextGnnTrainer trainer = new ContextGnnTrainer(config, new long[0], 0.05f, 0f,
        100_000, 0, 5)) {
      trainer.setItemFeatures(table, 2);
      Recommendations[] popular = trainer.recommend(batch, k);
      trainer.setBaseline(ContextGnnBlock.Baseline.PAST_VISITS);
      Recommendations[] past = trainer.recommend(batch, k);
      for (int u = 0; u < 8; u++) {
        long[] counts = recent[u % 2];
        int[] expected = java.util.stream.IntStream.range(0, items).boxed()
            .sorted((a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a])
                : Integer.compare(a, b)).limit(k).mapToInt(Integer::intValue).toArray();
        assertArrayEquals(expected, popular[u].items(), "popularity, user " + u);
        int f = batch.familiarCount(u);
        for (int j = 0; j < f; j++) {
          assertEquals(batch.familiar(u, j), past[u].items()[j], "past visits, user " + u);
        }
        java.util.List<Integer> fill = new java.util.ArrayList<>();
        for (int i : expected) {
          fill.add(i);
        }
        for (int j = 0; j < f; j++) {
          fill.remove((Integer) batch.familiar(u, j));
        }
        assertEquals(fill.get(0), past[u].items()[f], "popularity after the familiar items");
      }
      trainer.setBaseline(ContextGnnBlock.Baseline.POPULARITY);
      for (int step = 0; step < 20; step++) {
        trainer.step(batch, new int[][] {{1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}});
      }
      Recommendations[] trained = trainer.recommend(batch, k);
      trainer.save(tmp.resolve("equivalence"), ids(items), new long[0]);
      ContextGnnModel model = ContextGnnModel.get(tmp.resolve("equivalence"), "crc32:e0000001");
      for (int c = 0; c < 2; c++) {
        float[] at = java.util.Arrays.copyOfRange(table, c * items * ItemFeatures.SIZE,
            (c + 1) * items * ItemFeatures.SIZE);
        Recommendations[] served = model.recommend(batch, k, 7, at);
        for (int u = c; u < 8; u += 2) {
          assertTrue(trained[u].agrees(served[u], 1e-4f), "user " + u + ": "
              + java.util.Arrays.toString(trained[u].items()) + " vs "
              + java.util.Arrays.toString(served[u].items()));
        }
      }
    }
  }

  @Test
  void verificationComparesItemIdsNotOnlyScores() {
    Recommendations right = new Recommendations(new int[] {7, 3, 9}, new float[] {3f, 2f, 1f},
        new boolean[3], new int[0], new int[0]);
    Recommendations wrongIds = new Recommendations(new int[] {8, 4, 10},
        new float[] {3f, 2f, 1f}, new boolean[3], new int[0], new int[0]);
    Recommendations tieSwapped = new Recommendations(new int[] {7, 9, 3},
        new float[] {3f, 1.0001f, 1f}, new boolean[3], new int[0], new int[0]);
    Recommendations tie = new Recommendations(new int[] {7, 3, 9},
        new float[] {3f, 1f, 1f}, new boolean[3], new int[0], new int[0]);
    assertTrue(right.agrees(right, 1e-3f));
    assertFalse(right.agrees(wrongIds, 1e-3f), "same scores, wrong items");
    assertFalse(right.agrees(tieSwapped, 1e-3f), "scores differ");
    assertTrue(tie.agrees(tieSwapped, 1e-3f), "items may swap within a tie");
  }

  /**
   * A model retrained into the same directory has a new fingerprint: a long-lived JVM loads it
   * anew instead of serving the model it loaded before.
   */
  @Test
  void aModelRetrainedAtTheSamePathIsLoadedAnew() {
    java.nio.file.Path dir = tmp.resolve("same-path");
    ContextGnnModel first = ContextGnnModel.get(save(dir, 12), "crc32:00000001");
    assertEquals(12, first.config().items());
    assertTrue(first == ContextGnnModel.get(dir, "crc32:00000001"), "loaded once per JVM");
    ContextGnnModel second = ContextGnnModel.get(save(dir, 20), "crc32:00000002");
    assertEquals(20, second.config().items(), "the retrained model was not loaded");
  }

  /**
   * Arrays made per batch or per block (slices of the item table, transposes, products) are
   * closed with their batch: after many batches of blocked top-k and brute force in one JVM, the
   * model's manager holds as many arrays as before and the process's resident memory is flat.
   */
  @Test
  void scoringManyBatchesLeaksNoNativeMemory() throws Exception {
    ContextGnnModel model = ContextGnnModel.get(save(tmp.resolve("leak"), 5_000, 32),
        "crc32:1eak0000");
    UserBatch batch = new UserBatch(256, 2);
    for (int u = 0; u < 256; u++) {
      batch.addUser();
      batch.addFamiliar(u * 13 % 5_000, 1.5, 2, 0.5, 1);
      batch.addFamiliar(u * 7 % 5_000, 4.5, 1, 0.5, 2);
    }
    model.recommend(batch, 10, 500);
    model.bruteForce(batch, 10);
    int arrays = model.managedArrays();
    for (int i = 0; i < 10; i++) {
      model.recommend(batch, 10, 500);
      model.bruteForce(batch, 10);
    }
    assertEquals(arrays, model.managedArrays(), "arrays left attached to the model's manager");
    // Native memory (resident minus the Java heap) after the allocators have warmed up, then
    // after many more batches: flat within allocator noise (tens of MB). Leaked per-block
    // products (256 x 500 floats, 512 KB each) would add 150 batches x 10 blocks = 750 MB.
    for (int i = 0; i < 30; i++) {
      model.recommend(batch, 10, 500);
    }
    long before = nativeBytes();
    for (int i = 0; i < 150; i++) {
      model.recommend(batch, 10, 500);
    }
    long grown = nativeBytes() - before;
    assertEquals(arrays, model.managedArrays(), "arrays left attached to the model's manager");
    assertTrue(grown < 256L << 20, "native memory grew by " + (grown >> 20) + " MB");
  }

  /**
   * The planted index mistake (test hook) is caught by the brute-force comparison even on an
   * untrained model, whose scores lie close together; without it, blocked = brute force.
   */
  @Test
  void aPlantedIndexMistakeIsCaughtByTheBruteForceCheck() {
    ContextGnnModel model = ContextGnnModel.get(save(tmp.resolve("planted"), 3_000, 16),
        "crc32:91a47ed0");
    UserBatch batch = new UserBatch(16, 2);
    for (int u = 0; u < 16; u++) {
      batch.addUser();
      batch.addFamiliar(u * 31 % 3_000, 2.5, 1, 0.5, 1);
    }
    Recommendations[] brute = model.bruteForce(batch, 10);
    Recommendations[] right = model.recommend(batch, 10, 700);
    System.setProperty(ContextGnnModel.PLANT_INDEX_MISTAKE, "true");
    Recommendations[] planted;
    try {
      planted = model.recommend(batch, 10, 700);
    } finally {
      System.clearProperty(ContextGnnModel.PLANT_INDEX_MISTAKE);
    }
    for (int u = 0; u < 16; u++) {
      assertTrue(right[u].agrees(brute[u], Recommendations.SCORE_TOLERANCE), "user " + u);
      assertFalse(planted[u].agrees(brute[u], Recommendations.SCORE_TOLERANCE), "user " + u);
    }
  }

  /** Resident set size (Linux /proc) minus the committed Java heap. */
  private static long nativeBytes() throws java.io.IOException {
    long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage()
        .getCommitted();
    for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024 - heap;
      }
    }
    throw new AssertionError("no VmRSS in /proc/self/status");
  }

  private static java.nio.file.Path save(java.nio.file.Path dir, int items) {
    return save(dir, items, 8);
  }

  private static java.nio.file.Path save(java.nio.file.Path dir, int items, int dim) {
    ContextGnnConfig config = new ContextGnnConfig(items, dim, 2, 1, 4, 30);
    try (ContextGnnTrainer trainer = new ContextGnnTrainer(config, new long[items], 0.01f, 0f,
        100_000, 0, 1)) {
      // Gates open: the untrained learned parts score (closed, every item would tie at 0).
      trainer.block().setGates(1f, 1f);
      trainer.save(dir, ids(items), new long[items]);
    }
    return dir;
  }

  private static long[] ids(int n) {
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 1000 + i;
    }
    return ids;
  }
}
