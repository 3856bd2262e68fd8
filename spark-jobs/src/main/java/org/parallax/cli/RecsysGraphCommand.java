package org.parallax.cli;

import org.parallax.recsys.RecsysDefaults;

import org.parallax.common.Job;
import org.parallax.recsys.GraphJob;
import org.parallax.recsys.GraphOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code recsys graph}: interactions to a GraphFrames-shaped graph and a temporal split. */
@Command(name = "graph", mixinStandardHelpOptions = true,
    description = "Build the user-item graph (vertices id/type, edges src/dst) and the RelBench "
        + "temporal split from an interaction log.")
public final class RecsysGraphCommand extends JobCommand<GraphOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--interactions", required = true, paramLabel = "PATH",
      description = "Interaction log: user_id, item_id (any text or number), ts[, weight].")
  String interactions;

  @Option(names = "--format", paramLabel = "FMT",
      description = "parquet, jsonl or csv (default: from the file extension, else parquet).")
  String format;

  @Option(names = "--users", paramLabel = "PATH",
      description = "Optional user table: user_id and attributes.")
  String users;

  @Option(names = "--items", paramLabel = "PATH",
      description = "Optional item table: item_id and attributes; events on unlisted items are "
          + "quarantined.")
  String items;

  @Option(names = "--columns", split = ",", paramLabel = "COL=NAME",
      description = "The log's own column names, e.g. user_id=userId,item_id=movieId,"
          + "ts=timestamp,weight=rating.")
  java.util.Map<String, String> columns;

  @Option(names = "--window-days", defaultValue = RecsysDefaults.WINDOW_DAYS, paramLabel = "D",
      description = "Label window in days (default: ${DEFAULT-VALUE}).")
  int windowDays;

  @Option(names = "--train-windows", defaultValue = RecsysDefaults.TRAIN_WINDOWS, paramLabel = "N",
      description = "Training cutoffs before the validation cutoff (default: ${DEFAULT-VALUE}).")
  int trainWindows;

  @Mixin TimestampOptionsMixin timestamps;

  @Override
  protected Job<GraphOptions> job() {
    return new GraphJob();
  }

  @Override
  protected GraphOptions options() {
    return new GraphOptions(common.toOptions(), interactions, format, users, items,
        windowDays, trainWindows, columns, timestamps.toParsing());
  }
}
