package org.parallax.recsys;

/**
 * One user's top-k lists (catalogue indices, best first): ContextGNN's merged ranking with each
 * entry's score and family, and the two halves alone (two-tower over all items; pair-wise over the
 * familiar items).
 */
public record Recommendations(int[] items, float[] scores, boolean[] familiar, int[] towerItems,
    int[] pairItems) {

  /**
   * Whether {@code other} ranks the same items with the same scores: at every rank the scores
   * agree within {@code tolerance} (blocked and full matrix products round differently), and the
   * items are the same except where a score ties with a neighbour's, the only place where the
   * two computations may legitimately order items differently. A wrong item id with a right
   * score (an index mistake) does not agree.
   */
  public boolean agrees(Recommendations other, float tolerance) {
    if (items.length != other.items.length) {
      return false;
    }
    for (int i = 0; i < items.length; i++) {
      if (Math.abs(scores[i] - other.scores[i]) > tolerance) {
        return false;
      }
      if (items[i] != other.items[i] && !tiedAt(i, tolerance)) {
        return false;
      }
    }
    return true;
  }

  private boolean tiedAt(int i, float tolerance) {
    return (i > 0 && Math.abs(scores[i - 1] - scores[i]) <= tolerance)
        || (i + 1 < scores.length && Math.abs(scores[i] - scores[i + 1]) <= tolerance);
  }
}
