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
 * @param k neighbours (KSG algorithm 1)
 * @param maxSamples frames per group above which a group is sampled down to this many
 * @param confidence level of the jackknife intervals
 */
public record KsgOptions(CommonOptions common, String features, String format, String x,
    String y, Map<String, Double> rates, double targetRate, String per, int k, int maxSamples,
    double confidence) {
  public KsgOptions {
    rates = rates == null ? Map.of() : Map.copyOf(rates);
    if (!per.equals("utterance") && !per.equals("speaker") && !per.equals("all")) {
      throw new IllegalArgumentException("--per must be utterance, speaker or all, got " + per);
    }
    Check.atLeast("--k", k, 1);
    Check.atLeast("--max-samples", maxSamples, k + 1L);
    Check.between("--confidence", confidence, 0, 1);
    InputFormat.checkOption(format);
  }
}
