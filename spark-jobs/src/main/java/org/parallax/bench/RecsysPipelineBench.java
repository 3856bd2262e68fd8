package org.parallax.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.recsys.Pipeline;
import org.parallax.recsys.LightGcnOptions;
import org.parallax.recsys.PipelineOptions;
import org.parallax.recsys.RecsysDefaults;

/**
 * The small-input benchmark of {@code recsys pipeline} (issue 12, goal 3; {@code --areas
 * recsys-pipeline}): the whole pipeline (graph, features, train, eval) end to end on MovieLens
 * latest-small, as the README's command runs it, and on a generated log of
 * {@code datagen recsys}, with each stage's seconds and the Spark jobs and stages it ran (from its
 * {@link JobReport}). On inputs this small a stage's time is mostly the fixed cost of its Spark
 * jobs, so the job and stage counts are reported beside the seconds; unlike the seconds they do
 * not depend on the machine's load. The test MAP@k of each method is shown too, so that a change
 * meant to cut Spark work can be seen to leave the results as they were.
 */
public final class RecsysPipelineBench {
  private static final String[] STAGES = {"graph", "features", "train", "eval"};
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public RecsysPipelineBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /**
   * Runs the pipeline on {@code movielens} (ratings.csv of MovieLens latest-small) and on
   * {@code events} generated interactions, {@code epochs} training epochs each.
   */
  public String run(Path movielens, long events, int epochs) {
    Path generated = work.resolve("generated-" + events);
    JobRunner.run(spark, new DatagenJob("recsys"), new DatagenOptions("recsys",
        CommonOptions.replacing(generated.toString(), seed), events, "parquet"));
    BenchTable t = new BenchTable("input", "stage", "seconds", "Spark jobs", "Spark stages");
    StringBuilder maps = new StringBuilder();
    Map<String, JobReport> ml = pipeline(new PipelineOptions(common("movielens"),
        movielens.toString(), null, null, null, Map.of("user_id", "userId", "item_id", "movieId",
        "ts", "timestamp", "weight", "rating"), 90, 8, fanout(), dim(), epochs, k(), alsRank(),
        RecsysDefaults.integer(RecsysDefaults.ALS_ITERATIONS), false, null,
        LightGcnOptions.DEFAULT));
    rows(t, "MovieLens latest-small", ml, maps);
    Map<String, JobReport> gen = pipeline(new PipelineOptions(common("generated"),
        generated.resolve("interactions").toString(), null, null,
        generated.resolve("items").toString(), null,
        RecsysDefaults.integer(RecsysDefaults.WINDOW_DAYS),
        RecsysDefaults.integer(RecsysDefaults.TRAIN_WINDOWS), fanout(), dim(), epochs, k(),
        alsRank(), RecsysDefaults.integer(RecsysDefaults.ALS_ITERATIONS), false, null,
        LightGcnOptions.DEFAULT));
    rows(t, String.format("generated, %,d events", events), gen, maps);
    return String.format("## Small inputs: recsys pipeline (issue 12 goal 3)%n%n"
        + "`recsys pipeline` end to end (graph, features, train, eval; no `--score`) in one "
        + "Spark session: on MovieLens latest-small (`ratings.csv`, 100,836 ratings; the "
        + "README's command: 90-day window, 8 training windows) and on `datagen recsys --scale "
        + "%d` (default setting, with its item table; 7-day window, 20 training windows); "
        + "%d epochs at most (patience %s), k = %d. Per stage: wall seconds and the Spark jobs "
        + "started and stages run (skipped stages not counted) from the stage's `_report.json`; "
        + "issue 12 asks to cut the jobs and stages and to state the seconds before and after. "
        + "One run each (MovieLens first, so it also pays the session's warm-up).%n%n%s%n"
        + "Test MAP@%d (to see that results stay as they were):%n%n%s", events, epochs,
        RecsysDefaults.PATIENCE, k(), t.markdown(), k(), maps);
  }

  private Map<String, JobReport> pipeline(PipelineOptions o) {
    o.validate();
    return Pipeline.run(spark, o, new PrintWriter(new StringWriter()));
  }

  private static void rows(BenchTable t, String input, Map<String, JobReport> reports,
      StringBuilder maps) {
    double seconds = 0;
    int jobs = 0;
    int stages = 0;
    for (String s : STAGES) {
      JobReport r = reports.get(s);
      t.row(input, s, r.seconds, r.sparkJobs, r.sparkStages);
      seconds += r.seconds;
      jobs += r.sparkJobs == null ? 0 : r.sparkJobs;
      stages += r.sparkStages == null ? 0 : r.sparkStages;
    }
    t.row(input, "**whole pipeline**", seconds, jobs, stages);
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Double>> methods =
        (Map<String, Map<String, Double>>) reports.get("eval").metrics.get("methods");
    maps.append("- ").append(input).append(": ");
    methods.forEach((m, v) -> maps.append(String.format("%s %.4f; ", m, v.get("map@" + k()))));
    maps.setLength(maps.length() - 2);
    maps.append(String.format(" (%s users)%n", reports.get("eval").counts.get("evaluated_users")));
  }

  private CommonOptions common(String name) {
    return CommonOptions.replacing(work.resolve(name).toString(), seed);
  }

  private static int fanout() {
    return RecsysDefaults.integer(RecsysDefaults.FANOUT);
  }

  private static int dim() {
    return RecsysDefaults.integer(RecsysDefaults.DIM);
  }

  private static int k() {
    return RecsysDefaults.integer(RecsysDefaults.K);
  }

  private static int alsRank() {
    return RecsysDefaults.integer(RecsysDefaults.ALS_RANK);
  }
}
