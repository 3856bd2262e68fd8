package org.parallax.cli;

import java.util.Map;
import org.parallax.avinfo.KsgJob;
import org.parallax.avinfo.KsgOptions;
import org.parallax.common.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code avinfo ksg}: KSG k-NN mutual information of two continuous modalities. */
@Command(name = "ksg", mixinStandardHelpOptions = true,
    description = "Mutual information of two continuous modalities by the KSG k-nearest-"
        + "neighbour estimator, per utterance, speaker or overall, with jackknife intervals.")
public final class AvinfoKsgCommand extends JobCommand<KsgOptions> {
  @Mixin CommonOptionsMixin common;

  @Mixin FeaturesMixin input;

  @Option(names = "--x", defaultValue = "audio", paramLabel = "MOD",
      description = "First modality (default: ${DEFAULT-VALUE}).")
  String x;

  @Option(names = "--y", defaultValue = "visual", paramLabel = "MOD",
      description = "Second modality (default: ${DEFAULT-VALUE}).")
  String y;

  @Option(names = "--rates", split = ",", paramLabel = "MOD=HZ",
      description = "Frame rate per modality (default: the target rate).")
  Map<String, Double> rates;

  @Option(names = "--target-rate", defaultValue = "25", paramLabel = "HZ",
      description = "Common frame rate (default: ${DEFAULT-VALUE}).")
  double targetRate;

  @Option(names = "--per", defaultValue = "all", paramLabel = "GROUP",
      description = "utterance, speaker or all (default: ${DEFAULT-VALUE}).")
  String per;

  @Option(names = "--k", defaultValue = "3", paramLabel = "K",
      description = "Neighbours (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--ksg-algorithm", defaultValue = "1", paramLabel = "1|2",
      description = "Kraskov et al. (2004) algorithm 1 (counts strictly inside the k-th "
      + "neighbour's distance) or 2 (inside or on each marginal's distance to the k "
      + "neighbours) (default: ${DEFAULT-VALUE}).")
  int algorithm;

  @Option(names = "--theiler", defaultValue = "0", paramLabel = "FRAMES",
      description = "Theiler window: a frame's neighbours within FRAMES frames of it in its "
      + "utterance are left out of the search and the counts (default: ${DEFAULT-VALUE}, the "
      + "frame only).")
  int theiler;

  @Option(names = "--max-samples", defaultValue = "1000000", paramLabel = "N",
      description = "Groups with more frames are sampled down to N by a seeded hash, and the "
          + "report says so (default: ${DEFAULT-VALUE}).")
  int maxSamples;

  @Option(names = "--confidence", defaultValue = "0.95", paramLabel = "C",
      description = "Confidence level of the intervals (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Override
  protected Job<KsgOptions> job() {
    return new KsgJob();
  }

  @Override
  protected KsgOptions options() {
    return new KsgOptions(common.toOptions(), input.features, input.format, x, y, rates,
        targetRate, per, k, maxSamples, confidence, algorithm, theiler);
  }
}
