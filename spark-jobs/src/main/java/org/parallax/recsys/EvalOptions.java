package org.parallax.recsys;

import org.parallax.common.CommonOptions;

/**
 * Options of {@code recsys eval}.
 *
 * @param common output, overwrite, seed
 * @param graph output of {@code recsys graph} (edges and labels)
 * @param split the labelled window to evaluate: {@code test} or {@code val}
 * @param k the cutoff of MAP@k, recall@k and NDCG@k
 * @param windowDays the popularity baseline counts interactions in this window before the cutoff
 * @param alsRank latent factors of the ALS baseline
 * @param alsIterations ALS iterations
 */
public record EvalOptions(CommonOptions common, String graph, String split, int k,
    int windowDays, int alsRank, int alsIterations) {
  public EvalOptions {
    if (!split.equals("test") && !split.equals("val")) {
      throw new IllegalArgumentException("--split must be test or val, got " + split);
    }
    if (k < 1 || windowDays < 1 || alsRank < 1 || alsIterations < 1) {
      throw new IllegalArgumentException("--k, --window-days, --als-rank and --als-iterations "
          + "must be positive");
    }
  }
}
