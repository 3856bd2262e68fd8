package org.parallax.recsys;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code recsys train}.
 *
 * @param common output, overwrite, seed
 * @param graph output of {@code recsys graph} (labels, item vertices)
 * @param features output of {@code recsys features} (local subgraphs)
 * @param dim embedding and hidden width
 * @param fanout familiar items per user the model reads (at most the features' fanout)
 * @param epochs passes over the training examples
 * @param batchSize examples per optimisation step
 * @param learningRate Adam's learning rate
 * @param weightDecay L2 penalty on every parameter (Adam's weight decay)
 * @param itemAttributes item vertex attributes for the attribute encoder: {@code auto}, {@code
 *     none} or a comma-separated list
 * @param buckets hash buckets per attribute
 * @param fullSoftmaxMax catalogues up to this size train with the softmax over all items
 * @param sampledCandidates candidates per batch of the sampled softmax of larger catalogues
 * @param maxExamples training examples to sample down to; 0 for all (they stream from files)
 * @param halfLifeDays half-life the features were computed with (recorded in the model)
 * @param k the cutoff of the validation MAP@k that chooses the epoch
 * @param patience epochs without a better validation MAP@k before training stops
 */
public record TrainOptions(CommonOptions common, String graph, String features, int dim,
    int fanout, int epochs, int batchSize, double learningRate, double weightDecay,
    String itemAttributes,
    int buckets, int fullSoftmaxMax, int sampledCandidates, int maxExamples,
    double halfLifeDays, int k, int patience) implements JobOptions {
  public TrainOptions {
    Check.atLeast("--dim", dim, 1);
    Check.atLeast("--fanout", fanout, 1);
    Check.atLeast("--epochs", epochs, 1);
    Check.atLeast("--batch-size", batchSize, 1);
    Check.positive("--learning-rate", learningRate);
    Check.notNegative("--weight-decay", weightDecay);
    Check.atLeast("--buckets", buckets, 2);
    Check.atLeast("--full-softmax-max", fullSoftmaxMax, 0);
    Check.atLeast("--sampled-candidates", sampledCandidates, 1);
    Check.atLeast("--max-examples", maxExamples, 0);
    Check.positive("--half-life-days", halfLifeDays);
    Check.atLeast("--k", k, 1);
    Check.atLeast("--patience", patience, 1);
  }
}
