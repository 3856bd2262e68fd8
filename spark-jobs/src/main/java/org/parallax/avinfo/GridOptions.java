package org.parallax.avinfo;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;

/**
 * Options of {@code avinfo grid}.
 *
 * @param common output, overwrite, seed
 * @param alignments GRID word alignment files ({@code start end word} per line)
 * @param dictionary CMUdict-format pronouncing dictionary
 * @param maps phone-to-viseme TSV
 * @param map the viseme map to use
 * @param ticksPerFrame alignment time units per video frame (GRID: 1000 at 25 fps)
 * @param base logarithm base
 * @param bootstrap bootstrap replicates over utterances
 * @param confidence confidence level of the intervals
 */
public record GridOptions(CommonOptions common, String alignments, String dictionary,
    String maps, String map, double ticksPerFrame, double base, int bootstrap,
    double confidence) {
  public GridOptions {
    Check.positive("--ticks-per-frame", ticksPerFrame);
  }

  StatsOptions stats() {
    return new StatsOptions(common, alignments, null, base, bootstrap, confidence);
  }
}
