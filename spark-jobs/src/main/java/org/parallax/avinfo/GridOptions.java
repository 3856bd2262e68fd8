package org.parallax.avinfo;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code avinfo grid}: GRID {@code alignments} ({@code start end word} per line), a
 * CMUdict-format {@code dictionary}, the phone-to-viseme {@code maps} TSV and the {@code map}
 * used, alignment {@code ticksPerFrame} (GRID: 1000 at 25 fps), and {@link StatsOptions}'s
 * {@code base}, {@code bootstrap} and {@code confidence}.
 */
public record GridOptions(CommonOptions common, String alignments, String dictionary,
    String maps, String map, double ticksPerFrame, double base, int bootstrap,
    double confidence) implements JobOptions {
  public GridOptions {
    Check.positive("--ticks-per-frame", ticksPerFrame);
  }

  StatsOptions stats() {
    return new StatsOptions(common, alignments, null, base, bootstrap, confidence);
  }
}
