package org.parallax.recsys;

/**
 * Chooses the model {@code recsys train} keeps: the candidate with the highest score (validation
 * MAP@k), the first one on a tie, and stops training after {@code patience} epochs in a row
 * without a better score. Candidates that are not epochs (the baseline reproductions) count as
 * epoch 0.
 */
final class EpochSelection {
  private final int patience;
  private String name;
  private int epoch = -1;
  private double score = Double.NEGATIVE_INFINITY;
  private int sinceBest;

  EpochSelection(int patience) {
    this.patience = patience;
  }

  /**
   * Offers a candidate.
   *
   * @return whether it is the best so far (the caller saves it)
   */
  boolean offer(String candidate, int candidateEpoch, double candidateScore) {
    if (candidateScore > score || name == null) {
      name = candidate;
      epoch = candidateEpoch;
      score = candidateScore;
      sinceBest = 0;
      return true;
    }
    if (candidateEpoch > 0) {
      sinceBest++;
    }
    return false;
  }

  /** Whether {@code patience} epochs in a row brought no better score. */
  boolean exhausted() {
    return sinceBest >= patience;
  }

  String name() {
    return name;
  }

  int epoch() {
    return epoch;
  }

  double score() {
    return score;
  }
}
