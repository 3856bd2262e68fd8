package org.parallax.cli;

import org.parallax.recsys.RecsysDefaults;

import org.parallax.common.Job;
import org.parallax.recsys.FeaturesJob;
import org.parallax.recsys.FeaturesOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys features}: local subgraphs, pair features and item aggregates per cutoff. */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Local subgraphs with pair features, two-hop item aggregates and item "
        + "popularity for every labelled (user, cutoff) of a recsys graph.")
public final class RecsysFeaturesCommand extends JobCommand<FeaturesOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--graph", required = true, paramLabel = "DIR",
      description = "Output of `recsys graph`.")
  String graph;

  @Option(names = "--fanout", defaultValue = RecsysDefaults.FANOUT, paramLabel = "N",
      description = "Most recent items per (user, cutoff) (default: ${DEFAULT-VALUE}).")
  int fanout;

  @Option(names = "--half-life-days", defaultValue = RecsysDefaults.HALF_LIFE_DAYS, paramLabel = "D",
      description = "Half-life of the decayed weight (default: ${DEFAULT-VALUE}).")
  double halfLifeDays;

  @Option(names = "--window-days", defaultValue = RecsysDefaults.WINDOW_DAYS, paramLabel = "D",
      description = "Popularity window before each cutoff (default: ${DEFAULT-VALUE}).")
  int windowDays;

  @Override
  protected Job<FeaturesOptions> job() {
    return new FeaturesJob();
  }

  @Override
  protected FeaturesOptions options() {
    return new FeaturesOptions(common.toOptions(), graph, fanout, halfLifeDays, windowDays);
  }
}
