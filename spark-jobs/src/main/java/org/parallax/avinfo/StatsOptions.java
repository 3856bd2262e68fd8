package org.parallax.avinfo;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code avinfo stats}.
 *
 * @param common output, overwrite, seed, bad-row tolerance
 * @param frames aligned unit streams ({@code utterance_id, speaker_id, frame, audio_unit,
 *     visual_unit, text_unit}, any two or three of the units)
 * @param format their format, or null to take it from the extension
 * @param base logarithm base: 2 (bits) or e (nats)
 * @param bootstrap bootstrap replicates (utterances resampled with Poisson(1) weights)
 * @param confidence two-sided confidence level of the bootstrap intervals
 * @param nullReplicates draws of each information's null for its permutation p-value (0: no
 *     permutation tests)
 * @param alpha level at which a Benjamini-Hochberg adjusted p-value is significant, in (0, 1)
 */
public record StatsOptions(CommonOptions common, String frames, String format, double base,
    int bootstrap, double confidence, int nullReplicates, double alpha) {
  /**
   * Null draws per test unless {@code --null-replicates} says otherwise: none, as the tests cost
   * about as much as the rest of the job at 100 draws (p-values are asked for).
   */
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
