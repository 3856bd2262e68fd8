package org.parallax.cli;

import org.parallax.common.CommonOptions;
import picocli.CommandLine.Option;

/**
 * The options of a job that writes an output but reads no user input ({@code datagen}): where the
 * output goes, whether it may be replaced, the seed, and how long to wait for another run of it.
 */
public class OutputOptionsMixin {
  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Output directory (any Hadoop URI); committed atomically with _SUCCESS.")
  String out;

  @Option(names = "--overwrite", description = "Replace an existing output (default: refuse).")
  boolean overwrite;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed for every random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--wait-for-output", defaultValue = "0", paramLabel = "SECONDS",
      description = "When another run is writing the same --out, wait up to this long for it "
          + "to finish (default: ${DEFAULT-VALUE}: exit 2 at once, naming the other run).")
  long waitForOutput;

  /** The options, with the default input checks (the job reads no input they could apply to). */
  CommonOptions toOptions() {
    return new CommonOptions(out, overwrite, seed, CommonOptions.DEFAULT_MAX_BAD_FRACTION,
        CommonOptions.DEFAULT_MAX_LINE_BYTES, waitForOutput);
  }
}
