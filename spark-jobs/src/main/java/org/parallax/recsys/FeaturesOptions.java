package org.parallax.recsys;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;

/**
 * Options of {@code recsys features}.
 *
 * @param common output, overwrite, seed
 * @param graph output of {@code recsys graph}
 * @param fanout the most recent items per (user, cutoff) kept as its local subgraph
 * @param halfLifeDays half-life of the time-decayed interaction weight
 * @param windowDays the popularity window before each cutoff
 */
public record FeaturesOptions(CommonOptions common, String graph, int fanout, double halfLifeDays,
    int windowDays) implements JobOptions {
  public FeaturesOptions {
    Check.atLeast("--fanout", fanout, 1);
    Check.positive("--half-life-days", halfLifeDays);
    Check.atLeast("--window-days", windowDays, 1);
  }
}
