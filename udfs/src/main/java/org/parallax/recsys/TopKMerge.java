package org.parallax.recsys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ContextGNN's final ranking of one user, exactly: a familiar item scores its pair-wise score,
 * every other item its two-tower score. Given the two-tower top-(k + |familiar|) over the whole
 * catalogue, at least k of its entries are not familiar, so they are the best non-familiar items,
 * and merging them with the scored familiar items gives the exact top-k.
 */
public final class TopKMerge {
  private TopKMerge() {}

  /**
   * @param towerItems two-tower top items, best first (at least k + |familiar| of them, or the
   *     whole catalogue)
   * @param towerScores their scores
   * @param familiar the user's familiar items
   * @param pairScores their pair-wise scores
   */
  public static Recommendations merge(int[] towerItems, float[] towerScores, int[] familiar,
      float[] pairScores, int k) {
    Map<Integer, Float> pair = new HashMap<>();
    for (int i = 0; i < familiar.length; i++) {
      pair.merge(familiar[i], pairScores[i], Math::max);
    }
    List<long[]> entries = new ArrayList<>();
    for (int i = 0; i < towerItems.length; i++) {
      if (!pair.containsKey(towerItems[i])) {
        entries.add(new long[] {towerItems[i], Float.floatToIntBits(towerScores[i]), 0});
      }
    }
    for (Map.Entry<Integer, Float> e : pair.entrySet()) {
      entries.add(new long[] {e.getKey(), Float.floatToIntBits(e.getValue()), 1});
    }
    entries.sort(TopKMerge::best);
    int n = Math.min(k, entries.size());
    int[] items = new int[n];
    float[] scores = new float[n];
    boolean[] fromPair = new boolean[n];
    for (int i = 0; i < n; i++) {
      items[i] = (int) entries.get(i)[0];
      scores[i] = Float.intBitsToFloat((int) entries.get(i)[1]);
      fromPair[i] = entries.get(i)[2] == 1;
    }
    int[] tower = Arrays.copyOf(towerItems, Math.min(k, towerItems.length));
    int[] pairOnly = pair.entrySet().stream()
        .sorted((a, b) -> a.getValue().equals(b.getValue())
            ? Integer.compare(a.getKey(), b.getKey()) : Float.compare(b.getValue(), a.getValue()))
        .limit(k).mapToInt(Map.Entry::getKey).toArray();
    return new Recommendations(items, scores, fromPair, tower, pairOnly);
  }

  /** Higher score first, then the smaller catalogue index. */
  private static int best(long[] a, long[] b) {
    int c = Float.compare(Float.intBitsToFloat((int) b[1]), Float.intBitsToFloat((int) a[1]));
    return c != 0 ? c : Long.compare(a[0], b[0]);
  }
}
