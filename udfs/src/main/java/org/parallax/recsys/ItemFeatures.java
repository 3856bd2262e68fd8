package org.parallax.recsys;

/**
 * The input features of one item at a cutoff, what the two-tower item table and the shared item
 * prior of both score families read: the log of its interactions in the popularity window before
 * the cutoff (what the popularity baseline ranks by), the log of its degree (distinct users up to
 * the cutoff) and the log of its users' mean number of other interactions (the two-hop item →
 * user → item aggregate of {@code recsys features}). Feature 0 is the popularity signal: the
 * model's prior starts as exactly that feature, so the untrained model ranks like the
 * popularity baseline.
 */
public final class ItemFeatures {
  /** Features per item. */
  public static final int SIZE = 3;
  /** The index of the popularity feature (log interactions in the window before the cutoff). */
  public static final int POPULARITY = 0;

  private ItemFeatures() {}

  /**
   * Writes the features of one item into {@code out} at {@code offset}.
   *
   * @param recent interactions in the popularity window before the cutoff
   * @param users distinct users up to the cutoff
   * @param twoHopPaths over those users, the sum of their other interactions
   */
  public static void encode(long recent, long users, long twoHopPaths, float[] out, int offset) {
    out[offset + POPULARITY] = (float) Math.log1p(recent);
    out[offset + 1] = (float) Math.log1p(users);
    out[offset + 2] = (float) Math.log1p(users == 0 ? 0 : twoHopPaths / (double) users);
  }
}
