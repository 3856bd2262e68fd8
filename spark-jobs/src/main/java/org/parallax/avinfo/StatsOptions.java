package org.parallax.avinfo;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code avinfo stats}: the {@code frames} ({@code utterance_id, speaker_id, frame,
 * audio_unit, visual_unit, text_unit}) in {@code format} (null: from the extension), the
 * logarithm {@code base} (above 1), {@code bootstrap} replicates, the intervals'
 * {@code confidence}, {@code nullReplicates} draws per permutation test (0: none) and the
 * {@code alpha} of an adjusted p-value.
 */
public record StatsOptions(CommonOptions common, String frames, String format, double base,
    int bootstrap, double confidence, int nullReplicates, double alpha) implements JobOptions {
  /** Null draws per test by default: none (100 draws cost about as much as the rest). */
  public static final int NULL_REPLICATES = 0;
  /** Significance level unless {@code --alpha} says otherwise. */
  public static final double ALPHA = 0.05;

  /** With the default null draws and significance level. */
  public StatsOptions(CommonOptions common, String frames, String format, double base,
      int bootstrap, double confidence) {
    this(common, frames, format, base, bootstrap, confidence, NULL_REPLICATES, ALPHA);
  }

  public StatsOptions {
    if (base <= 1) {
      throw new IllegalArgumentException("--base must be 2 or e (a number above 1), got " + base);
    }
    Check.atLeast("--bootstrap", bootstrap, 0);
    Check.between("--confidence", confidence, 0, 1);
    Check.atLeast("--null-replicates", nullReplicates, 0);
    Check.between("--alpha", alpha, 0, 1);
    InputFormat.checkOption(format);
  }
}
