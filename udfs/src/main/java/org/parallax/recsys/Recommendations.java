package org.parallax.recsys;

/**
 * One user's top-k lists (catalogue indices, best first): ContextGNN's merged ranking with each
 * entry's score and family, and the two halves alone (two-tower over all items; pair-wise over the
 * familiar items).
 */
public record Recommendations(int[] items, float[] scores, boolean[] familiar, int[] towerItems,
    int[] pairItems) {
  /**
   * How far blocked and full float32 products may round apart (relative above magnitude 1):
   * their rounding differences are around 1e-6; an untrained model's neighbouring scores differ
   * by far more, so a wrong item is not excused as a tie.
   */
  public static final float SCORE_TOLERANCE = 1e-5f;

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
      if (!close(scores[i], other.scores[i], tolerance)) {
        return false;
      }
      if (items[i] != other.items[i] && !tiedAt(i, tolerance)) {
        return false;
      }
    }
    return true;
  }

  private boolean tiedAt(int i, float tolerance) {
    return (i > 0 && close(scores[i - 1], scores[i], tolerance))
        || (i + 1 < scores.length && close(scores[i], scores[i + 1], tolerance));
  }

  /** Equal within {@code tolerance}, relative to the larger magnitude when that exceeds 1. */
  private static boolean close(float a, float b, float tolerance) {
    return Math.abs(a - b) <= tolerance * Math.max(1f, Math.max(Math.abs(a), Math.abs(b)));
  }
}
