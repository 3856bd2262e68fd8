package org.parallax.avinfo;

import java.util.Map;
import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code avinfo ksg}: per-frame {@code features} in {@code format} (null: from the
 * extension), modalities {@code x} and {@code y} aligned as {@link UnitsOptions} aligns them
 * ({@code rates}, {@code targetRate}), one estimate {@code per} utterance, speaker or all,
 * {@code k} neighbours, {@code maxSamples} per group, the jackknife's {@code confidence}, KSG
 * {@code algorithm} 1 or 2 and the {@code theiler} window in frames.
 */
public record KsgOptions(CommonOptions common, String features, String format, String x,
    String y, Map<String, Double> rates, double targetRate, String per, int k, int maxSamples,
    double confidence, int algorithm, int theiler) implements JobOptions {
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
