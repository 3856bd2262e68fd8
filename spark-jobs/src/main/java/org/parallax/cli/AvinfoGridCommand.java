package org.parallax.cli;

import org.parallax.avinfo.GridJob;
import org.parallax.avinfo.GridOptions;
import org.parallax.common.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code avinfo grid}: GRID alignments to frame-aligned word/phone/viseme statistics. */
@Command(name = "grid", mixinStandardHelpOptions = true,
    description = "GRID word alignments to frame-aligned word, phone and viseme streams and "
        + "their information statistics per video frame.")
public final class AvinfoGridCommand extends JobCommand<GridOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--alignments", required = true, paramLabel = "PATH",
      description = "Directory (or glob) of GRID .align files.")
  String alignments;

  @Option(names = "--dictionary", required = true, paramLabel = "PATH",
      description = "CMUdict-format pronouncing dictionary.")
  String dictionary;

  @Option(names = "--maps", required = true, paramLabel = "PATH",
      description = "Phone-to-viseme TSV.")
  String maps;

  @Option(names = "--map", defaultValue = "lee", paramLabel = "MAP",
      description = "Viseme map to use (default: ${DEFAULT-VALUE}).")
  String map;

  @Option(names = "--ticks-per-frame", defaultValue = "1000", paramLabel = "N",
      description = "Alignment time units per video frame (default: ${DEFAULT-VALUE}).")
  double ticksPerFrame;

  @Option(names = "--base", defaultValue = "2", paramLabel = "B",
      description = "Logarithm base (default: ${DEFAULT-VALUE}: bits).")
  double base;

  @Option(names = "--bootstrap", defaultValue = "100", paramLabel = "N",
      description = "Bootstrap replicates over utterances (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(names = "--confidence", defaultValue = "0.95", paramLabel = "C",
      description = "Confidence level (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Override
  protected Job<GridOptions> job() {
    return new GridJob();
  }

  @Override
  protected GridOptions options() {
    return new GridOptions(common.toOptions(), alignments, dictionary, maps, map, ticksPerFrame,
        base, bootstrap, confidence);
  }
}
