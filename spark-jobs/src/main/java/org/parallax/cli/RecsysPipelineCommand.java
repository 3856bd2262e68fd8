package org.parallax.cli;

import org.parallax.recsys.RecsysDefaults;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.parallax.common.HadoopConf;
import org.parallax.common.JobReport;
import org.parallax.common.OutputGuard;
import org.parallax.common.SparkSessions;
import org.parallax.recsys.Pipeline;
import org.parallax.recsys.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recsys pipeline}: the stages chained, outputs under one root. */
@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "graph, features, train, eval (and with --score, score) in one command; each "
        + "stage commits its own output under --out.")
public final class RecsysPipelineCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin CommonOptionsMixin common;

  @Option(names = "--interactions", required = true, paramLabel = "PATH",
      description = "Interaction log: user_id, item_id (any text or number), ts[, weight].")
  String interactions;

  @Option(names = "--format", paramLabel = "FMT", description = "parquet, jsonl or csv "
      + "(default: from the extension or the folder's data files, else parquet).")
  String format;

  @Option(names = "--users", paramLabel = "PATH", description = "Optional user table.")
  String users;

  @Option(names = "--items", paramLabel = "PATH", description = "Optional item table.")
  String items;

  @Option(names = "--columns", split = ",", paramLabel = "COL=NAME",
      description = "The log's own column names, e.g. user_id=userId,item_id=movieId.")
  Map<String, String> columns;

  @Option(names = "--window-days", defaultValue = RecsysDefaults.WINDOW_DAYS, paramLabel = "D",
      description = "Label window in days (default: ${DEFAULT-VALUE}).")
  int windowDays;

  @Option(names = "--train-windows", defaultValue = RecsysDefaults.TRAIN_WINDOWS, paramLabel = "N",
      description = "Training cutoffs (default: ${DEFAULT-VALUE}).")
  int trainWindows;

  @Option(names = "--fanout", defaultValue = RecsysDefaults.FANOUT, paramLabel = "N",
      description = "Familiar items per user (default: ${DEFAULT-VALUE}).")
  int fanout;

  @Option(names = "--dim", defaultValue = RecsysDefaults.DIM, paramLabel = "D",
      description = "Model width (default: ${DEFAULT-VALUE}).")
  int dim;

  @Option(names = "--epochs", defaultValue = RecsysDefaults.EPOCHS, paramLabel = "N",
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(names = "--k", defaultValue = RecsysDefaults.K, paramLabel = "K",
      description = "Recommendations per user (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--als-rank", defaultValue = RecsysDefaults.ALS_RANK, paramLabel = "R",
      description = "Factors of the ALS baseline (default: ${DEFAULT-VALUE}).")
  int alsRank;

  @Option(names = "--als-iterations", defaultValue = RecsysDefaults.ALS_ITERATIONS,
      paramLabel = "N", description = "Iterations of the ALS baseline (default: ${DEFAULT-VALUE}).")
  int alsIterations;

  @Option(names = "--score", description = "Also score every user at the test cutoff.")
  boolean score;

  @Mixin TimestampOptionsMixin timestamps;

  @Mixin LightGcnOptionsMixin lightGcn;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PipelineOptions o = new PipelineOptions(common.toOptions(), interactions, format, users,
        items, columns, windowDays, trainWindows, fanout, dim, epochs, k, alsRank, alsIterations,
        score, timestamps.toParsing(), lightGcn.toOptions());
    o.validate();
    OutputGuard.check(o.common().out(), java.util.Arrays.asList(interactions, users, items),
        HadoopConf.fromSparkSettings());
    Map<String, JobReport> reports = Pipeline.run(SparkSessions.getOrCreate("recsys pipeline"),
        o, out);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> methods =
        (Map<String, Map<String, Double>>) reports.get("eval").metrics.get("methods");
    out.printf("recsys pipeline: MAP@%d on the test window (%s users):%n", k,
        reports.get("eval").counts.get("evaluated_users"));
    methods.forEach((m, v) -> out.printf("  %-22s %.4f%n", m, v.get("map@" + k)));
    out.println("recsys pipeline: outputs under " + o.common().out() + " (report: "
        + o.stage("eval") + "/report.html)");
    out.flush();
    return 0;
  }
}
