package org.parallax.cli;

import org.parallax.recsys.RecsysDefaults;

import org.parallax.common.Job;
import org.parallax.recsys.EvalJob;
import org.parallax.recsys.EvalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys eval}: baselines' top-k recommendations scored with MAP@k, recall, NDCG. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Score top-k recommendations (popularity, past visits, MLlib ALS, LightGCN) "
        + "with RelBench MAP@k, recall@k, NDCG@k and coverage on a split of a recsys graph.")
public final class RecsysEvalCommand extends JobCommand<EvalOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--graph", required = true, paramLabel = "DIR",
      description = "Output of `recsys graph`.")
  String graph;

  @Option(names = "--split", defaultValue = "test", paramLabel = "S",
      description = "test or val (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--k", defaultValue = RecsysDefaults.K, paramLabel = "K",
      description = "Cutoff of the metrics (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--window-days", defaultValue = RecsysDefaults.WINDOW_DAYS, paramLabel = "D",
      description = "Popularity window before the cutoff (default: ${DEFAULT-VALUE}).")
  int windowDays;

  @Option(names = "--als-rank", defaultValue = RecsysDefaults.ALS_RANK, paramLabel = "R",
      description = "ALS latent factors (default: ${DEFAULT-VALUE}).")
  int alsRank;

  @Option(names = "--als-iterations", defaultValue = RecsysDefaults.ALS_ITERATIONS, paramLabel = "N",
      description = "ALS iterations (default: ${DEFAULT-VALUE}).")
  int alsIterations;

  @Option(names = "--baselines", defaultValue = "popularity,past_visits,als,lightgcn",
      split = ",",
      paramLabel = "LIST", description = "Baselines to compute (default: ${DEFAULT-VALUE}).")
  java.util.List<String> baselines;

  @Option(names = "--model", paramLabel = "DIR",
      description = "Output of `recsys train`: adds ContextGNN and its two halves "
          + "(two-tower only, pair-wise only) to the comparison.")
  String model;

  @Option(names = "--batch-users", defaultValue = RecsysDefaults.BATCH_USERS, paramLabel = "N",
      description = "Users per ContextGNN inference batch (default: ${DEFAULT-VALUE}).")
  int batchUsers;

  @Option(names = "--block-items", defaultValue = RecsysDefaults.BLOCK_ITEMS, paramLabel = "N",
      description = "Items per block of the blocked top-k (default: ${DEFAULT-VALUE}).")
  int blockItems;

  @Mixin LightGcnOptionsMixin lightGcn;

  @Override
  protected Job<EvalOptions> job() {
    return new EvalJob();
  }

  @Override
  protected EvalOptions options() {
    return new EvalOptions(common.toOptions(), graph, split, k, windowDays, alsRank, baselines, model,
        batchUsers, blockItems, alsIterations, lightGcn.toOptions());
  }
}
