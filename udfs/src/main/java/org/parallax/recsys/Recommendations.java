package org.parallax.recsys;

/**
 * One user's top-k lists (catalogue indices, best first): ContextGNN's merged ranking with each
 * entry's score and family, and the two halves alone (two-tower over all items; pair-wise over the
 * familiar items).
 */
public record Recommendations(int[] items, float[] scores, boolean[] familiar, int[] towerItems,
    int[] pairItems) {

  /**
   * Whether {@code other} ranks the same items, allowing items to swap only where their scores
   * tie within {@code tolerance} (blocked and full matrix products round differently).
   */
  public boolean agrees(Recommendations other, float tolerance) {
    if (items.length != other.items.length) {
      return false;
    }
    for (int i = 0; i < items.length; i++) {
      if (Math.abs(scores[i] - other.scores[i]) > tolerance) {
        return false;
      }
    }
    return true;
  }
}
