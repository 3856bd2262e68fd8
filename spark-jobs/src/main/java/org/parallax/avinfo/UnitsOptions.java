package org.parallax.avinfo;

import java.util.Map;
import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code avinfo units}: per-frame {@code features} ({@code utterance_id, speaker_id,
 * frame, modality, vector}) in {@code format} (null: from the extension); clusters per modality
 * {@code k} ({@code defaultK} for others), frame {@code rates} (Hz; others at
 * {@code targetRate}, the output's rate), and k-means' {@code fitFraction}, {@code
 * maxIterations} and {@code restarts} (the lowest cost kept).
 */
public record UnitsOptions(CommonOptions common, String features, String format,
    Map<String, Integer> k, int defaultK, Map<String, Double> rates, double targetRate,
    double fitFraction, int maxIterations, int restarts) implements JobOptions {
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
