package org.parallax.avinfo;

import java.util.Map;
import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code avinfo units}.
 *
 * @param common output, overwrite, seed, bad-row tolerance
 * @param features per-frame features ({@code utterance_id, speaker_id, frame, modality, vector})
 * @param format input format, or null to take it from the extension
 * @param k clusters per modality ({@code audio=100,...}); modalities not listed get {@code
 *     defaultK}
 * @param defaultK clusters of a modality without its own {@code k}
 * @param rates frame rate (Hz) per modality; modalities not listed run at the target rate
 * @param targetRate the rate of the aligned output (the video frame rate)
 * @param fitFraction fraction of (pooled) frames each modality's k-means is fitted on
 * @param maxIterations k-means iterations
 * @param restarts k-means runs with different seeds; the one with the lowest cost is kept
 */
public record UnitsOptions(CommonOptions common, String features, String format,
    Map<String, Integer> k, int defaultK, Map<String, Double> rates, double targetRate,
    double fitFraction, int maxIterations, int restarts) {
  public UnitsOptions {
    k = k == null ? Map.of() : Map.copyOf(k);
    rates = rates == null ? Map.of() : Map.copyOf(rates);
    Check.atLeast("--default-k", defaultK, 2);
    k.forEach((m, v) -> Check.atLeast("--k " + m, v, 2));
    Check.positive("--target-rate", targetRate);
    rates.forEach((m, r) -> Check.positive("--rates " + m, r));
    Check.aboveUpTo("--fit-fraction", fitFraction, 0, 1);
    Check.atLeast("--max-iterations", maxIterations, 1);
    Check.atLeast("--restarts", restarts, 1);
    InputFormat.checkOption(format);
  }

  public int kOf(String modality) {
    return k.getOrDefault(modality, defaultK);
  }

  public double rateOf(String modality) {
    return rates.getOrDefault(modality, targetRate);
  }
}
