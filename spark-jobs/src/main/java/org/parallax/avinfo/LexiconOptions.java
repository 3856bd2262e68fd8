package org.parallax.avinfo;

import org.parallax.common.CommonOptions;

/**
 * Options of {@code avinfo lexicon}.
 *
 * @param common output, overwrite, seed
 * @param dictionary CMUdict-format pronouncing dictionary
 * @param maps phone-to-viseme TSV (phone, then one column per map)
 * @param base logarithm base (2: bits)
 * @param vennMap the map whose (phone, viseme, word) information diagram the report draws
 * @param topClasses largest homophene classes listed per map in the report
 */
public record LexiconOptions(CommonOptions common, String dictionary, String maps, double base,
    String vennMap, int topClasses) {
  public LexiconOptions {
    if (base <= 1 || topClasses < 0) {
      throw new IllegalArgumentException("--base must exceed 1 and --top-classes not be negative");
    }
  }
}
