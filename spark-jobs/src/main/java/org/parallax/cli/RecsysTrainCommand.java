package org.parallax.cli;

import org.parallax.recsys.RecsysDefaults;

import org.parallax.common.Job;
import org.parallax.recsys.TrainJob;
import org.parallax.recsys.TrainOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys train}: the ContextGNN scorer in DJL. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the ContextGNN scorer (DJL, PyTorch engine; the GPU when present) on "
        + "the training windows of a recsys graph and its features.")
public final class RecsysTrainCommand extends JobCommand<TrainOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--graph", required = true, paramLabel = "DIR",
      description = "Output of `recsys graph`.")
  String graph;

  @Option(names = "--features", required = true, paramLabel = "DIR",
      description = "Output of `recsys features` for that graph.")
  String features;

  @Option(names = "--dim", defaultValue = RecsysDefaults.DIM, paramLabel = "D",
      description = "Embedding and hidden width (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--fanout", defaultValue = RecsysDefaults.FANOUT, paramLabel = "N",
      description = "Familiar items per user the model reads (default: ${DEFAULT-VALUE}).")
  int fanout;

  @Option(names = "--epochs", defaultValue = RecsysDefaults.EPOCHS, paramLabel = "N",
      description = "Passes over the training examples (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--batch-size", defaultValue = RecsysDefaults.BATCH_SIZE, paramLabel = "N",
      description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--learning-rate", defaultValue = RecsysDefaults.LEARNING_RATE, paramLabel = "LR",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--weight-decay", defaultValue = RecsysDefaults.WEIGHT_DECAY, paramLabel = "W",
      description = "L2 penalty on the parameters (default: ${DEFAULT-VALUE}).")
  double weightDecay;

  @Option(names = "--item-attributes", defaultValue = RecsysDefaults.ITEM_ATTRIBUTES, paramLabel = "LIST",
      description = "Item vertex attributes for the attribute encoder: auto (all), none, or "
          + "a comma-separated list (default: ${DEFAULT-VALUE}).")
  String itemAttributes;

  @Option(names = "--buckets", defaultValue = RecsysDefaults.BUCKETS, paramLabel = "N",
      description = "Hash buckets per attribute (default: ${DEFAULT-VALUE}).")
  int buckets;

  @Option(names = "--full-softmax-max", defaultValue = RecsysDefaults.FULL_SOFTMAX_MAX, paramLabel = "N",
      description = "Largest catalogue trained with the softmax over all items; larger ones "
          + "use a sampled softmax (default: ${DEFAULT-VALUE}).")
  int fullSoftmaxMax;

  @Option(names = "--sampled-candidates", defaultValue = RecsysDefaults.SAMPLED_CANDIDATES, paramLabel = "N",
      description = "Candidates per batch of the sampled softmax: positives, then familiar "
          + "items, then random items (default: ${DEFAULT-VALUE}).")
  int sampledCandidates;

  @Option(names = "--max-examples", defaultValue = RecsysDefaults.MAX_EXAMPLES, paramLabel = "N",
      description = "Sample the training examples down to N; 0 trains on all of them, "
          + "streamed from Parquet files epoch by epoch (default: ${DEFAULT-VALUE}).")
  int maxExamples;

  @Option(names = "--half-life-days", defaultValue = RecsysDefaults.HALF_LIFE_DAYS, paramLabel = "D",
      description = "Half-life of the decayed pair weight, as given to `recsys features` "
          + "(default: ${DEFAULT-VALUE}).")
  double halfLifeDays;

  @Option(names = "--k", defaultValue = RecsysDefaults.K, paramLabel = "K",
      description = "The epoch kept is the one with the best validation MAP@K "
          + "(default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--patience", defaultValue = RecsysDefaults.PATIENCE, paramLabel = "N",
      description = "Stop after N epochs without a better validation MAP@k "
          + "(default: ${DEFAULT-VALUE}).")
  int patience;

  @Override
  protected Job<TrainOptions> job() {
    return new TrainJob();
  }

  @Override
  protected TrainOptions options() {
    return new TrainOptions(common.toOptions(), graph, features, dim, fanout, epochs, batchSize,
        learningRate, weightDecay, itemAttributes, buckets, fullSoftmaxMax, sampledCandidates, maxExamples,
        halfLifeDays, k, patience);
  }
}
