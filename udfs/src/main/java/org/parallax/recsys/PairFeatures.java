package org.parallax.recsys;

/**
 * The input features of one (user, familiar item) pair: log count, the time-decayed weight, the
 * recency rank and a relative-time encoding of the days since the last interaction (its log and
 * sines and cosines at periods from a day to a year), so the model can tell yesterday's item from
 * last season's.
 */
public final class PairFeatures {
  private static final double[] PERIODS_DAYS = {1, 7, 30, 365};
  /** Features per pair. */
  public static final int SIZE = 6 + 2 * PERIODS_DAYS.length;
  /** The index of {@code log(recency rank)}: strictly increasing with the rank. */
  public static final int LOG_RANK = 5;

  private PairFeatures() {}

  /** Writes the features of one pair into {@code out} at {@code offset}. */
  public static void encode(double recencyDays, long count, double decayed, int recencyRank,
      int fanout, float[] out, int offset) {
    double days = Math.max(0, recencyDays);
    out[offset] = (float) Math.log1p(count);
    out[offset + 1] = (float) Math.log1p(decayed);
    out[offset + 2] = (float) ((recencyRank - 1) / (double) fanout);
    out[offset + 3] = (float) Math.log1p(days);
    out[offset + 4] = (float) (1.0 / recencyRank);
    out[offset + 5] = (float) Math.log(recencyRank);
    for (int p = 0; p < PERIODS_DAYS.length; p++) {
      double angle = 2 * Math.PI * days / PERIODS_DAYS[p];
      out[offset + 6 + 2 * p] = (float) Math.sin(angle);
      out[offset + 7 + 2 * p] = (float) Math.cos(angle);
    }
  }
}
