package org.parallax.avinfo;

import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code avinfo lexicon}: a CMUdict-format {@code dictionary}, the phone-to-viseme
 * {@code maps} TSV, the logarithm {@code base}, the map whose information diagram the report
 * draws ({@code vennMap}) and the homophene classes listed per map ({@code topClasses}).
 */
public record LexiconOptions(CommonOptions common, String dictionary, String maps, double base,
    String vennMap, int topClasses) implements JobOptions {
  public LexiconOptions {
    if (base <= 1 || topClasses < 0) {
      throw new IllegalArgumentException("--base must exceed 1 and --top-classes not be negative");
    }
  }
}
