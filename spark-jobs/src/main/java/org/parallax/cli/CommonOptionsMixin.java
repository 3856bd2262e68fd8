package org.parallax.cli;

import org.parallax.common.CommonOptions;
import picocli.CommandLine.Option;

/**
 * The options every job that reads input takes: the output's options and how malformed input is
 * handled; parsed once and turned into {@link CommonOptions}.
 */
public final class CommonOptionsMixin extends OutputOptionsMixin {
  @Option(names = "--max-bad-fraction", defaultValue = "0.01", paramLabel = "F",
      description = "Fail when more than this fraction of an input's rows is malformed "
          + "(default: ${DEFAULT-VALUE}); malformed rows go to <out>/_quarantine/.")
  double maxBadFraction;

  @Option(names = "--max-line-bytes", defaultValue = "67108864", paramLabel = "N",
      description = "A JSONL line longer than this is quarantined as 'line longer than N bytes' "
          + "without being parsed (default: ${DEFAULT-VALUE}).")
  long maxLineBytes;

  @Override
  CommonOptions toOptions() {
    return new CommonOptions(out, overwrite, seed, maxBadFraction, maxLineBytes, waitForOutput);
  }
}
