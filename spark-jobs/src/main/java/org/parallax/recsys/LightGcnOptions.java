package org.parallax.recsys;

import org.parallax.common.Check;

/**
 * Options of the LightGCN baseline ({@code recsys eval}, {@code recsys pipeline}), checked when
 * built, so that bad values stop the command before Spark starts.
 *
 * @param layers {@code --lightgcn-layers}: propagation layers
 * @param dim {@code --lightgcn-dim}: embedding width
 * @param epochs {@code --lightgcn-epochs}: passes over the distinct (user, item) pairs
 * @param learningRate {@code --lightgcn-learning-rate}: Adam's learning rate
 * @param l2 {@code --lightgcn-l2}: L2 weight on the layer-0 embeddings of each BPR triple
 * @param batchSize {@code --lightgcn-batch-size}: BPR triples per step
 */
public record LightGcnOptions(int layers, int dim, int epochs, double learningRate, double l2,
    int batchSize) {
  /** The defaults ({@link RecsysDefaults}). */
  public static final LightGcnOptions DEFAULT = new LightGcnOptions(
      RecsysDefaults.integer(RecsysDefaults.LIGHTGCN_LAYERS),
      RecsysDefaults.integer(RecsysDefaults.LIGHTGCN_DIM),
      RecsysDefaults.integer(RecsysDefaults.LIGHTGCN_EPOCHS),
      RecsysDefaults.real(RecsysDefaults.LIGHTGCN_LEARNING_RATE),
      RecsysDefaults.real(RecsysDefaults.LIGHTGCN_L2),
      RecsysDefaults.integer(RecsysDefaults.LIGHTGCN_BATCH_SIZE));

  public LightGcnOptions {
    Check.atLeast("--lightgcn-layers", layers, 0);
    Check.atLeast("--lightgcn-dim", dim, 1);
    Check.atLeast("--lightgcn-epochs", epochs, 1);
    Check.positive("--lightgcn-learning-rate", learningRate);
    Check.notNegative("--lightgcn-l2", l2);
    Check.atLeast("--lightgcn-batch-size", batchSize, 1);
  }

  /** The trainer's settings. */
  public LightGcnConfig config() {
    return new LightGcnConfig(layers, dim, epochs, learningRate, l2, batchSize);
  }
}
