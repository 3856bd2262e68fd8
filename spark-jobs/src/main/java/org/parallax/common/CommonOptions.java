package org.parallax.common;

/**
 * Options every job takes: where its output goes, whether it may replace an existing output, the
 * seed for every random choice, and how many malformed input rows it tolerates before failing.
 *
 * @param out output directory (any Hadoop URI); committed atomically with a {@code _SUCCESS} marker
 * @param overwrite replace an existing output instead of refusing
 * @param seed seed for every random choice the job makes
 * @param maxBadFraction the job fails when more than this fraction of an input's rows is malformed
 * @param maxLineBytes a JSONL line longer than this is quarantined unparsed
 * @param waitForOutputSeconds how long to wait for another run that holds the output's lease
 */
public record CommonOptions(String out, boolean overwrite, long seed, double maxBadFraction,
    long maxLineBytes, long waitForOutputSeconds) implements JobOptions {
  public static final long DEFAULT_SEED = 42L;
  public static final double DEFAULT_MAX_BAD_FRACTION = 0.01;
  /** 64 MiB: far above any sane record, far below what makes a JSON parser struggle. */
  public static final long DEFAULT_MAX_LINE_BYTES = 64L << 20;

  /** Options with the default line limit, not waiting for another run of the output. */
  public CommonOptions(String out, boolean overwrite, long seed, double maxBadFraction) {
    this(out, overwrite, seed, maxBadFraction, DEFAULT_MAX_LINE_BYTES);
  }

  /** Options that do not wait for another run of the output. */
  public CommonOptions(String out, boolean overwrite, long seed, double maxBadFraction,
      long maxLineBytes) {
    this(out, overwrite, seed, maxBadFraction, maxLineBytes, 0);
  }

  /** These options, for a job that has no options of its own. */
  @Override
  public CommonOptions common() {
    return this;
  }

  /** Options for an output its caller owns and replaces on every run (demo, benchmarks). */
  public static CommonOptions replacing(String out, long seed) {
    return new CommonOptions(out, true, seed, DEFAULT_MAX_BAD_FRACTION);
  }

  public CommonOptions {
    if (out == null || out.isBlank()) {
      throw new IllegalArgumentException("--out is required: the directory the job writes to");
    }
    if (maxBadFraction < 0 || maxBadFraction > 1) {
      throw new IllegalArgumentException(
          "--max-bad-fraction must lie in [0, 1], got " + maxBadFraction);
    }
    Check.atLeast("--max-line-bytes", maxLineBytes, 1);
    Check.atLeast("--wait-for-output", waitForOutputSeconds, 0);
  }
}
