package org.parallax.cli;

import org.parallax.recsys.LightGcnOptions;
import org.parallax.recsys.RecsysDefaults;
import picocli.CommandLine.Option;

/** The LightGCN baseline's options, shared by {@code recsys eval} and {@code recsys pipeline}. */
public final class LightGcnOptionsMixin {
  @Option(names = "--lightgcn-layers", defaultValue = RecsysDefaults.LIGHTGCN_LAYERS,
      paramLabel = "K", description = "LightGCN propagation layers; the embedding is the mean of "
          + "layers 0..K (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(names = "--lightgcn-dim", defaultValue = RecsysDefaults.LIGHTGCN_DIM, paramLabel = "D",
      description = "LightGCN embedding width (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--lightgcn-epochs", defaultValue = RecsysDefaults.LIGHTGCN_EPOCHS,
      paramLabel = "N", description = "LightGCN passes over the distinct (user, item) pairs, "
          + "one sampled negative each (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--lightgcn-learning-rate", defaultValue =
      RecsysDefaults.LIGHTGCN_LEARNING_RATE, paramLabel = "LR",
      description = "LightGCN's Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--lightgcn-l2", defaultValue = RecsysDefaults.LIGHTGCN_L2, paramLabel = "W",
      description = "L2 weight on the layer-0 embeddings of each BPR triple "
          + "(default: ${DEFAULT-VALUE}).")
  double l2;

  @Option(names = "--lightgcn-batch-size", defaultValue = RecsysDefaults.LIGHTGCN_BATCH_SIZE,
      paramLabel = "N", description = "BPR triples per LightGCN step "
          + "(default: ${DEFAULT-VALUE}).")
  int batchSize;

  LightGcnOptions toOptions() {
    return new LightGcnOptions(layers, dim, epochs, learningRate, l2, batchSize);
  }
}
