package org.parallax.recsys;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;

/**
 * {@code recsys pipeline}: graph → features → train → eval (→ score) in one command, each stage
 * a job with its own atomically committed output under the root ({@code graph/},
 * {@code features/}, {@code model/}, {@code eval/}, {@code recommendations/}). A failing stage
 * stops the pipeline with its name; stages already committed stay, so a re-run with
 * {@code --overwrite} replaces them.
 */
public final class Pipeline {
  private Pipeline() {}

  /** Runs the stages and returns their reports, in order. */
  public static Map<String, JobReport> run(SparkSession spark, PipelineOptions o,
      PrintWriter progress) {
    checkSpan(spark, o, progress);
    Map<String, JobReport> reports = new LinkedHashMap<>();
    reports.put("graph", stage(progress, "graph", () -> JobRunner.run(spark, new GraphJob(),
        o.graph())));
    reports.put("features", stage(progress, "features", () -> JobRunner.run(spark,
        new FeaturesJob(), o.features())));
    reports.put("train", stage(progress, "train", () -> JobRunner.run(spark, new TrainJob(),
        o.train())));
    reports.put("eval", stage(progress, "eval", () -> JobRunner.run(spark, new EvalJob(),
        o.eval())));
    if (o.score()) {
      reports.put("score", stage(progress, "score", () -> JobRunner.run(spark, new ScoreJob(),
          o.scoreAll())));
    }
    return reports;
  }

  /**
   * Refuses, from one cheap pass over the log ({@link LogSpan}), a label window that leaves no
   * training cutoff with history, before any stage starts; says so when fewer training cutoffs
   * have history than {@code --train-windows} asks for.
   */
  private static void checkSpan(SparkSession spark, PipelineOptions o, PrintWriter progress) {
    LogSpan span = LogSpan.read(spark, o.graph());
    span.requireTrainingCutoff(o.windowDays());
    long cutoffs = span.trainCutoffsWithHistory(o.windowDays(), o.trainWindows());
    if (cutoffs < o.trainWindows()) {
      progress.printf("recsys pipeline: --train-windows %d: a log spanning %s has history "
          + "before %d training cutoffs at --window-days %d; earlier ones add examples without "
          + "history%n", o.trainWindows(), span.days(), cutoffs, o.windowDays());
      progress.flush();
    }
  }

  private static JobReport stage(PrintWriter progress, String name,
      java.util.function.Supplier<JobReport> run) {
    JobReport r = run.get();
    progress.printf("recsys pipeline: %s succeeded in %.1f s (%s Spark jobs, %s stages)%n", name,
        r.seconds, r.sparkJobs, r.sparkStages);
    progress.flush();
    return r;
  }
}
