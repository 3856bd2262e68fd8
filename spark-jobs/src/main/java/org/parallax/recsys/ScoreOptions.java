package org.parallax.recsys;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code recsys score}.
 *
 * @param common output, overwrite, seed
 * @param graph output of {@code recsys graph}
 * @param model output of {@code recsys train}
 * @param split the cutoff to score at: {@code test} or {@code val}
 * @param users {@code labelled} (users with labels in the split) or {@code all} (every user of
 *     the graph, those without history before the cutoff included)
 * @param k recommendations per user
 * @param batchUsers users per inference batch
 * @param blockItems items per block of the blocked top-k
 * @param halves also write the two-tower-only and pair-wise-only rankings
 * @param verifyPerPartition users per partition checked against a brute-force ranking
 */
public record ScoreOptions(CommonOptions common, String graph, String model, String split,
    String users, int k, int batchUsers, int blockItems, boolean halves,
    int verifyPerPartition) implements JobOptions {
  public ScoreOptions {
    if (!split.equals("test") && !split.equals("val")) {
      throw new IllegalArgumentException("--split must be test or val, got " + split);
    }
    if (!users.equals("labelled") && !users.equals("all")) {
      throw new IllegalArgumentException("--users must be labelled or all, got " + users);
    }
    Check.atLeast("--k", k, 1);
    Check.atLeast("--batch-users", batchUsers, 1);
    Check.atLeast("--block-items", blockItems, 1);
    Check.atLeast("--verify-sample", verifyPerPartition, 0);
  }
}
