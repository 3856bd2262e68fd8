package org.parallax.cli;

import org.parallax.recsys.RecsysDefaults;

import org.parallax.common.Job;
import org.parallax.recsys.ScoreJob;
import org.parallax.recsys.ScoreOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys score}: distributed ContextGNN inference. */
@Command(name = "score", mixinStandardHelpOptions = true,
    description = "Top-k ContextGNN recommendations for every user at a split's cutoff: DJL "
        + "inference in the executors, blocked top-k over the item table, no cross join.")
public final class RecsysScoreCommand extends JobCommand<ScoreOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--graph", required = true, paramLabel = "DIR",
      description = "Output of `recsys graph`.")
  String graph;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "Output of `recsys train`.")
  String model;

  @Option(names = "--split", defaultValue = "test", paramLabel = "S",
      description = "Cutoff to score at: test or val (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--users", defaultValue = "labelled", paramLabel = "WHO",
      description = "labelled (users with labels in the split) or all (default: "
          + "${DEFAULT-VALUE}).")
  String users;

  @Option(names = "--k", defaultValue = RecsysDefaults.K, paramLabel = "K",
      description = "Recommendations per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--batch-users", defaultValue = RecsysDefaults.BATCH_USERS, paramLabel = "N",
      description = "Users per inference batch (default: ${DEFAULT-VALUE}).")
  int batchUsers;

  @Option(names = "--block-items", defaultValue = RecsysDefaults.BLOCK_ITEMS, paramLabel = "N",
      description = "Items per block of the blocked top-k (default: ${DEFAULT-VALUE}).")
  int blockItems;

  @Option(names = "--halves",
      description = "Also write the two-tower-only and pair-wise-only rankings.")
  boolean halves;

  @Option(names = "--verify-sample", defaultValue = RecsysDefaults.VERIFY_SAMPLE, paramLabel = "N",
      description = "Users per partition re-ranked by brute force over every item and "
          + "compared; a difference fails the job (default: ${DEFAULT-VALUE}).")
  int verifySample;

  @Override
  protected Job<ScoreOptions> job() {
    return new ScoreJob();
  }

  @Override
  protected ScoreOptions options() {
    return new ScoreOptions(common.toOptions(), graph, model, split, users, k, batchUsers,
        blockItems, halves, verifySample);
  }
}
