package org.parallax.recsys;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code recsys eval}.
 *
 * @param common output, overwrite, seed
 * @param graph output of {@code recsys graph} (edges and labels)
 * @param split the labelled window to evaluate: {@code test} or {@code val}
 * @param k the cutoff of MAP@k, recall@k and NDCG@k
 * @param windowDays the popularity baseline counts interactions in this window before the cutoff
 * @param alsRank latent factors of the ALS baseline
 * @param baselines the baselines to compute: any of {@link #BASELINES}
 * @param model output of {@code recsys train} to evaluate beside the baselines, or null
 * @param batchUsers users per ContextGNN inference batch
 * @param blockItems items per block of ContextGNN's blocked top-k
 * @param alsIterations ALS iterations
 * @param lightGcn the LightGCN baseline's settings
 */
public record EvalOptions(CommonOptions common, String graph, String split, int k,
    int windowDays, int alsRank, java.util.List<String> baselines, String model, int batchUsers, int blockItems,
    int alsIterations, LightGcnOptions lightGcn) implements JobOptions {
  /** Every baseline, in the order they are computed. */
  public static final java.util.List<String> BASELINES = java.util.List.of("popularity",
      "past_visits", "als", "lightgcn");

  public EvalOptions {
    if (!split.equals("test") && !split.equals("val")) {
      throw new IllegalArgumentException("--split must be test or val, got " + split);
    }
    baselines = java.util.List.copyOf(baselines);
    for (String b : baselines) {
      if (!BASELINES.contains(b)) {
        throw new IllegalArgumentException("--baselines takes " + String.join(", ", BASELINES)
            + "; got " + b);
      }
    }
    Check.atLeast("--k", k, 1);
    Check.atLeast("--window-days", windowDays, 1);
    Check.atLeast("--als-rank", alsRank, 1);
    Check.atLeast("--als-iterations", alsIterations, 1);
    Check.atLeast("--batch-users", batchUsers, 1);
    Check.atLeast("--block-items", blockItems, 1);
    java.util.Objects.requireNonNull(lightGcn, "lightGcn");
  }
}
