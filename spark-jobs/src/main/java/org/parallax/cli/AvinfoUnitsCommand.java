package org.parallax.cli;

import java.util.Map;
import org.parallax.avinfo.UnitsJob;
import org.parallax.avinfo.UnitsOptions;
import org.parallax.common.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code avinfo units}: k-means units from continuous per-frame features, aligned. */
@Command(name = "units", mixinStandardHelpOptions = true,
    description = "Cluster continuous per-frame features into discrete units per modality "
        + "(MLlib k-means) and align the modalities to one frame rate.")
public final class AvinfoUnitsCommand extends JobCommand<UnitsOptions> {
  @Mixin CommonOptionsMixin common;

  @Mixin FeaturesMixin input;

  @Option(names = "--k", split = ",", paramLabel = "MOD=K",
      description = "Clusters per modality, e.g. audio=100,visual=100.")
  Map<String, Integer> k;

  @Option(names = "--default-k", defaultValue = "100", paramLabel = "K",
      description = "Clusters of a modality not named in --k (default: ${DEFAULT-VALUE}).")
  int defaultK;

  @Option(names = "--rates", split = ",", paramLabel = "MOD=HZ",
      description = "Frame rate per modality, e.g. audio=50,visual=25 (default: the target "
          + "rate).")
  Map<String, Double> rates;

  @Option(names = "--target-rate", defaultValue = "25", paramLabel = "HZ",
      description = "Frame rate of the aligned units (default: ${DEFAULT-VALUE}).")
  double targetRate;

  @Option(names = "--fit-fraction", defaultValue = "0.1", paramLabel = "F",
      description = "Fraction of frames k-means is fitted on (default: ${DEFAULT-VALUE}).")
  double fitFraction;

  @Option(names = "--max-iterations", defaultValue = "20", paramLabel = "N",
      description = "k-means iterations (default: ${DEFAULT-VALUE}).")
  int maxIterations;

  @Option(names = "--restarts", defaultValue = "1", paramLabel = "N",
      description = "k-means runs with different seeds, the lowest-cost one kept "
          + "(default: ${DEFAULT-VALUE}).")
  int restarts;

  @Override
  protected Job<UnitsOptions> job() {
    return new UnitsJob();
  }

  @Override
  protected UnitsOptions options() {
    return new UnitsOptions(common.toOptions(), input.features, input.format, k, defaultK, rates, targetRate,
        fitFraction, maxIterations, restarts);
  }
}
