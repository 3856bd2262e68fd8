package org.parallax.avinfo;

import java.io.Serializable;

/**
 * The delete-one-utterance jackknife of every quantity's plug-in estimate: each utterance's cells
 * are added, then {@link #leave} leaves them out of the whole table ({@link
 * JointCounts.Without}), accumulating 15 exact sums per quantity ({@link ExactSum}), so
 * the result depends on the utterances only, not on their order or on how partial accumulators
 * (per Spark partition) are merged. Estimate {@code n theta - (n - 1) mean(theta_-i)}, standard
 * error {@code sqrt((n - 1) / n sum (theta_-i - mean)^2)}. Not thread-safe.
 */
public final class Jackknife implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int QUANTITIES = 15;

  private final double[] full;
  private final ExactSum[] sum = new ExactSum[QUANTITIES];
  private final ExactSum[] square = new ExactSum[QUANTITIES];
  private long utterances;
  /** The utterance being added, a part of the whole table: until merged. */
  private final transient JointCounts.Without part;

  /** An empty accumulator over the whole corpus's table. */
  public Jackknife(JointCounts total) {
    this.full = total.profiles()[0].values();
    this.part = total.without();
    for (int q = 0; q < QUANTITIES; q++) {
      sum[q] = new ExactSum();
      square[q] = new ExactSum();
    }
  }

  /** Adds {@code c} frames at (a, v, t) to the utterance to be left out next. */
  public void add(int a, int v, int t, long c) {
    if (part == null) {
      throw new IllegalStateException("a merged jackknife cannot take utterances");
    }
    part.add(a, v, t, c);
  }

  /** Leaves out the utterance whose cells were added since the last call. */
  public void leave() {
    double[] without = part.profiles()[0].values();
    for (int q = 0; q < QUANTITIES; q++) {
      double d = without[q] - full[q];
      sum[q].add(d);
      square[q].add(d * d);
    }
    utterances++;
  }

  /** Adds another accumulator's utterances (over the same whole) to this one. */
  public Jackknife merge(Jackknife other) {
    for (int q = 0; q < QUANTITIES; q++) {
      sum[q].add(other.sum[q]);
      square[q].add(other.square[q]);
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
    return full[q] - (utterances - 1) * (sum[q].value() / utterances);
  }

  /** The jackknife standard error of quantity {@code q}; NaN below two utterances. */
  public double standardError(int q) {
    if (utterances < 2) {
      return Double.NaN;
    }
    double mean = sum[q].value() / utterances;
    double spread = Math.max(0, square[q].value() - utterances * mean * mean);
    return Math.sqrt((utterances - 1) / (double) utterances * spread);
  }
}
