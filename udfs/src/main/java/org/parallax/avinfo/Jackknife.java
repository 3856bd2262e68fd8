package org.parallax.avinfo;

import java.io.Serializable;

/**
 * The delete-one-utterance jackknife of every quantity's plug-in estimate: each utterance's cells
 * are added, then {@link #leave} leaves them out of the whole table ({@link
 * TableProfiles#profilesWithout}), accumulating 15 sums per quantity; partial accumulators (per
 * Spark partition) merge. Estimate {@code n theta - (n - 1) mean(theta_-i)}, standard error {@code
 * sqrt((n - 1) / n sum (theta_-i - mean)^2)}. Not thread-safe.
 */
public final class Jackknife implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int QUANTITIES = 15;

  private final double[] full;
  private final double[] sum = new double[QUANTITIES];
  private final double[] square = new double[QUANTITIES];
  private long utterances;
  /** The whole table, its sums of c ln c and cells, the utterance being added: until merged. */
  private final transient TableProfiles whole;
  private final transient double[] sums = new double[7];
  private final transient long[] cells = new long[7];
  private final transient TableProfiles part = new TableProfiles();

  /** An empty accumulator over the whole corpus's table. */
  public Jackknife(JointCounts total) {
    this.full = total.profiles()[0].values();
    this.whole = TableProfiles.of(total);
    whole.sums(sums, cells);
  }

  /** Leaves {@code utterance}'s table out of the whole and accumulates the change. */
  public void add(JointCounts utterance) {
    utterance.forEach((a, v, t, c) -> add((Integer) a, (Integer) v, (Integer) t, c));
    leave();
  }

  /** Adds {@code c} frames at (a, v, t) to the utterance to be left out next. */
  public void add(int a, int v, int t, long c) {
    if (whole == null) {
      throw new IllegalStateException("a merged jackknife cannot take utterances");
    }
    part.add(a, v, t, c);
  }

  /** Leaves out the utterance whose cells were added since the last call. */
  public void leave() {
    double[] without = whole.profilesWithout(part, sums, cells)[0].values();
    part.clear();
    for (int q = 0; q < QUANTITIES; q++) {
      double d = without[q] - full[q];
      sum[q] += d;
      square[q] += d * d;
    }
    utterances++;
  }

  /** Adds another accumulator's utterances (over the same whole) to this one. */
  public Jackknife merge(Jackknife other) {
    for (int q = 0; q < QUANTITIES; q++) {
      sum[q] += other.sum[q];
      square[q] += other.square[q];
    }
    utterances += other.utterances;
    return this;
  }

  /** Utterances left out so far. */
  public long utterances() {
    return utterances;
  }

  /** The jackknife estimate of quantity {@code q} (index in {@link EntropyProfile#asMap()}). */
  public double estimate(int q) {
    return full[q] - (utterances - 1) * (sum[q] / utterances);
  }

  /** The jackknife standard error of quantity {@code q}; NaN below two utterances. */
  public double standardError(int q) {
    if (utterances < 2) {
      return Double.NaN;
    }
    double mean = sum[q] / utterances;
    double spread = Math.max(0, square[q] - utterances * mean * mean);
    return Math.sqrt((utterances - 1) / (double) utterances * spread);
  }
}
