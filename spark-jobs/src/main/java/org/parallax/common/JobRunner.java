package org.parallax.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link Job} with the conventions every job follows: refuse an existing output unless
 * {@code --overwrite}, write into staging, print a progress line per stage, write
 * {@code _report.json}, then commit atomically with {@code _SUCCESS}. When the job fails, the
 * output path is left as it was and what was staged (the report with the error, the quarantined
 * rows) is kept beside it in {@code <out>._failed/} so nothing is lost.
 */
public final class JobRunner {
  public static final String REPORT = "_report.json";
  public static final String FAILED_SUFFIX = "._failed";

  private JobRunner() {}

  /** Runs {@code job} in the current (or a new local) session. */
  public static <O> JobReport run(Job<O> job, O options) {
    SparkSession spark = SparkSessions.getOrCreate(job.name());
    return run(spark, job, options);
  }

  public static <O> JobReport run(SparkSession spark, Job<O> job, O options) {
    CommonOptions common = job.common(options);
    StagedOutput out = StagedOutput.open(common.out(), common.overwrite(),
        spark.sparkContext().hadoopConfiguration());
    JobReport report = new JobReport(job.name());
    report.config.putAll(asMap(options));
    long t0 = System.nanoTime();
    ProgressListener progress = new ProgressListener(job.name());
    spark.sparkContext().addSparkListener(progress);
    spark.sparkContext().setJobGroup("parallax", job.name(), false);
    try {
      job.run(new JobContext(spark, out, report, common), options);
      report.status = "succeeded";
      finish(report, t0);
      out.writeText(REPORT, report.toJson());
      out.commit();
      return report;
    } catch (RuntimeException e) {
      report.status = "failed";
      report.error = oneLine(e);
      finish(report, t0);
      keepFailed(out, report);
      if (e instanceof JobFailedException) {
        throw e;
      }
      throw new JobFailedException(job.name() + " failed: " + oneLine(e), e);
    } finally {
      spark.sparkContext().removeSparkListener(progress);
      spark.sparkContext().clearJobGroup();
    }
  }

  private static void finish(JobReport report, long t0) {
    report.finished = Instant.now().toString();
    report.seconds = (System.nanoTime() - t0) / 1e9;
  }

  /** Moves the staging directory to {@code <out>._failed} with the failed report inside. */
  private static void keepFailed(StagedOutput out, JobReport report) {
    try {
      out.writeText(REPORT, report.toJson());
      Path failed = new Path(out.target().getParent(), out.target().getName() + FAILED_SUFFIX);
      out.fileSystem().delete(failed, true);
      if (!out.fileSystem().rename(out.staging(), failed)) {
        out.abort();
      }
    } catch (Exception cleanup) {
      out.abort();
    }
  }

  /** The exception's own message, or its first cause's, on one line. */
  public static String oneLine(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object options) {
    return new ObjectMapper().convertValue(options, Map.class);
  }
}
