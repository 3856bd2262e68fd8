package org.parallax.cli;

import org.parallax.avinfo.StatsJob;
import org.parallax.avinfo.StatsOptions;
import org.parallax.common.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code avinfo stats}: entropies, informations, bias corrections, intervals and a null. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Entropies, mutual informations, conditional entropies and co-information of "
        + "aligned audio/visual/text units: plug-in and Miller-Madow, bootstrap intervals over "
        + "utterances, a shuffled null and permutation p-values.")
public final class AvinfoStatsCommand extends JobCommand<StatsOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--frames", required = true, paramLabel = "PATH",
      description = "utterance_id, speaker_id, frame, audio_unit, visual_unit, text_unit.")
  String frames;

  @Option(names = "--format", paramLabel = "FMT", description = "parquet, jsonl or csv "
      + "(default: from the extension or the folder's data files, else parquet).")
  String format;

  @Option(names = "--base", defaultValue = "2", paramLabel = "B",
      description = "2 for bits or e for nats (default: ${DEFAULT-VALUE}).")
  String base;

  @Option(names = "--bootstrap", defaultValue = "100", paramLabel = "N",
      description = "Bootstrap replicates over utterances (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(names = "--confidence", defaultValue = "0.95", paramLabel = "C",
      description = "Confidence level of the intervals (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(names = "--null-replicates", defaultValue = "" + StatsOptions.NULL_REPLICATES,
      paramLabel = "N", description = "Draws of each information's own null for its "
      + "permutation p-value, (1 + #{null >= observed}) / (N + 1); 0: no permutation tests; 100 "
      + "gives p-values down to 0.0099 and costs about as much as the rest of the job "
      + "(default: ${DEFAULT-VALUE}).")
  int nullReplicates;

  @Option(names = "--alpha", defaultValue = "" + StatsOptions.ALPHA, paramLabel = "A",
      description = "Level at which a Benjamini-Hochberg adjusted p-value is significant "
      + "(default: ${DEFAULT-VALUE}).")
  double alpha;

  @Override
  protected Job<StatsOptions> job() {
    return new StatsJob();
  }

  @Override
  protected StatsOptions options() {
    double b;
    try {
      b = base.equals("e") ? Math.E : Double.parseDouble(base);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--base must be 2 (bits) or e (nats), got " + base);
    }
    return new StatsOptions(common.toOptions(), frames, format, b, bootstrap, confidence,
        nullReplicates, alpha);
  }
}
