package org.parallax.cli;

import org.parallax.common.CommonOptions;
import picocli.CommandLine.Option;

/** The options every job command takes, parsed once and turned into {@link CommonOptions}. */
public final class CommonOptionsMixin {
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory (any Hadoop URI); committed atomically with _SUCCESS.")
  String out;

  @Option(names = "--overwrite", description = "Replace an existing output (default: refuse).")
  boolean overwrite;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed for every random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--max-bad-fraction", defaultValue = "0.01", paramLabel = "F",
      description = "Fail when more than this fraction of an input's rows is malformed "
          + "(default: ${DEFAULT-VALUE}); malformed rows go to <out>/_quarantine/.")
  double maxBadFraction;

  @Option(names = "--max-line-bytes", defaultValue = "67108864", paramLabel = "N",
      description = "A JSONL line longer than this is quarantined as 'line longer than N bytes' "
          + "without being parsed (default: ${DEFAULT-VALUE}).")
  long maxLineBytes;

  @Option(names = "--wait-for-output", defaultValue = "0", paramLabel = "SECONDS",
      description = "When another run is writing the same --out, wait up to this long for it "
          + "to finish (default: ${DEFAULT-VALUE}: exit 2 at once, naming the other run).")
  long waitForOutput;

  CommonOptions toOptions() {
    return new CommonOptions(out, overwrite, seed, maxBadFraction, maxLineBytes, waitForOutput);
  }
}
