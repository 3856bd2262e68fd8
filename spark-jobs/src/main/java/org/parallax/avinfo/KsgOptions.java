package org.parallax.avinfo;

import java.util.Map;
import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code avinfo ksg}.
 *
 * @param common output, overwrite, seed
 * @param features per-frame features ({@code utterance_id, speaker_id, frame, modality, vector})
 * @param format input format, or null to take it from the extension
 * @param x the first modality
 * @param y the second modality
 * @param rates frame rate per modality (aligned as {@code avinfo units} does)
 * @param targetRate the common frame rate
 * @param per one estimate per {@code utterance}, {@code speaker} or over {@code all} frames
 * @param k neighbours
 * @param maxSamples frames per group above which a group is sampled down to this many
 * @param confidence level of the jackknife intervals
 * @param algorithm KSG algorithm 1 or 2 (Kraskov et al. 2004)
 * @param theiler Theiler window in frames: neighbours of a frame within that many frames of it
 *     in its utterance are left out (0: the frame only)
 */
public record KsgOptions(CommonOptions common, String features, String format, String x,
    String y, Map<String, Double> rates, double targetRate, String per, int k, int maxSamples,
    double confidence, int algorithm, int theiler) {
  public KsgOptions {
    rates = rates == null ? Map.of() : Map.copyOf(rates);
    if (!per.equals("utterance") && !per.equals("speaker") && !per.equals("all")) {
      throw new IllegalArgumentException("--per must be utterance, speaker or all, got " + per);
    }
    Check.atLeast("--k", k, 1);
    if (algorithm != 1 && algorithm != 2) {
      throw new IllegalArgumentException("--ksg-algorithm must be 1 or 2 (Kraskov et al. "
          + "2004), got " + algorithm);
    }
    Check.atLeast("--theiler", theiler, 0);
    Check.atLeast("--max-samples", maxSamples, k + 1L);
    Check.between("--confidence", confidence, 0, 1);
    InputFormat.checkOption(format);
  }
}
