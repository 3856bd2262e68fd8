package org.parallax.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link Job} with the conventions every job follows: refuse an existing output unless
 * {@code --overwrite}, write into staging, print a progress line per stage, write
 * {@code _report.json}, then commit atomically with {@code _SUCCESS}. When the job fails, the
 * output path is left as it was and what was staged (the report with the error, the quarantined
 * rows) is kept beside it in {@code <out>._failed/} (never with a {@code _SUCCESS}) so nothing
 * is lost. The run holds the output's {@link OutputLease} from before staging until after
 * {@code _SUCCESS} or the failure handling.
 */
public final class JobRunner {
  public static final String REPORT = "_report.json";
  public static final String FAILED_SUFFIX = "._failed";
  /** The full trace of a failed run, beside its report in {@code <out>._failed/}. */
  public static final String ERROR_LOG = "_error.log";

  private JobRunner() {}

  /** Runs {@code job} in the current (or a new local) session. */
  public static <O extends JobOptions> JobReport run(Job<O> job, O options) {
    checkPaths(job, options, HadoopConf.fromSparkSettings());
    SparkSession spark = SparkSessions.getOrCreate(job.name());
    return run(spark, job, options);
  }

  /**
   * Refuses, before any Spark work, an output that overlaps one of the job's inputs.
   *
   * @throws IllegalArgumentException (bad usage) naming the output and the input
   */
  public static <O extends JobOptions> void checkPaths(Job<O> job, O options,
      Configuration conf) {
    OutputGuard.check(job.common(options).out(), job.inputs(options), conf);
  }

  public static <O extends JobOptions> JobReport run(SparkSession spark, Job<O> job,
      O options) {
    CommonOptions common = job.common(options);
    checkPaths(job, options, spark.sparkContext().hadoopConfiguration());
    StagedOutput out = StagedOutput.open(common.out(), common.overwrite(),
        common.waitForOutputSeconds() * 1000, spark.sparkContext().hadoopConfiguration());
    JobReport report = new JobReport(job.name());
    report.config.putAll(asMap(options));
    report.cleaned.addAll(out.cleaned());
    long t0 = System.nanoTime();
    ProgressListener progress = new ProgressListener(job.name());
    spark.sparkContext().addSparkListener(progress);
    SparkWork work = SparkWork.start(spark.sparkContext());
    spark.sparkContext().setJobGroup("parallax", job.name(), false);
    try {
      job.run(new JobContext(spark, out, report, common), options);
      report.status = "succeeded";
      finish(report, t0, work);
      out.writeText(REPORT, report.toJson());
      out.commit();
      return report;
    } catch (Throwable e) {
      // Everything, Errors and Spark's checked exceptions included: no failure may skip this.
      if (out.commitStarted() && completeCommit(out, e)) {
        return report;
      }
      report.status = "failed";
      report.error = Failures.describe(e);
      finish(report, t0, work);
      if (out.commitStarted()) {
        throw new JobFailedException(job.name() + " failed while committing " + out.target()
            + ": " + report.error + "; the next run with this --out completes the commit", e);
      }
      String log = keepFailed(out, report, e);
      if (Failures.rootCause(e) instanceof JobFailedException) {
        throw new JobFailedException(report.error, e);
      }
      throw new JobFailedException(job.name() + " failed: " + report.error
          + (log == null ? "" : "; full trace in " + log), e);
    } finally {
      // After _SUCCESS or after the failure was dealt with: the next run may take the output.
      out.close();
      spark.sparkContext().removeSparkListener(progress);
      spark.sparkContext().removeSparkListener(work);
      spark.sparkContext().clearJobGroup();
    }
  }

  /** A commit that failed part-way is completed once more before the job is called failed. */
  private static boolean completeCommit(StagedOutput out, Throwable e) {
    try {
      return out.recover();
    } catch (RuntimeException again) {
      e.addSuppressed(again);
      return false;
    }
  }

  private static void finish(JobReport report, long t0, SparkWork work) {
    report.finished = Instant.now().toString();
    report.seconds = (System.nanoTime() - t0) / 1e9;
    try {
      work.close();
      report.sparkJobs = work.jobs();
      report.sparkStages = work.stages();
    } catch (IllegalStateException notDrained) {
      // The counts would be short: the report leaves them out rather than state them wrong.
    }
  }

  /** Where a failed run of {@code target} keeps what it staged. */
  public static Path failedPath(Path target) {
    return new Path(target.getParent(), target.getName() + FAILED_SUFFIX);
  }

  /**
   * Moves the staging directory to {@code <out>._failed} with the failed report and the trace
   * ({@code _error.log}) inside; returns where the trace is.
   */
  private static String keepFailed(StagedOutput out, JobReport report, Throwable e) {
    Path failed = failedPath(out.target());
    report.relocateQuarantine(out.target().toString(), failed.toString());
    try {
      out.writeText(REPORT, report.toJson());
      out.writeText(ERROR_LOG, Failures.trace(e));
      unmarkNested(out);
      out.fileSystem().delete(failed, true);
      new ResumableMove(out.fileSystem()).move(out.staging(), failed);
      Path log = new Path(failed, ERROR_LOG);
      // A local path as a person would type it; other file systems keep their scheme.
      return "file".equals(log.toUri().getScheme()) ? log.toUri().getPath() : log.toString();
    } catch (Exception | LinkageError cleanup) {
      e.addSuppressed(cleanup);
    }
    try {
      out.abort();
    } catch (RuntimeException cleanup) {
      e.addSuppressed(cleanup);
    }
    java.nio.file.Path local = Failures.writeTraceLocally(report.job, e);
    return local == null ? null : local.toString();
  }

  /** Deletes the {@code _SUCCESS} markers Spark's writers left in staged data directories. */
  private static void unmarkNested(StagedOutput out) throws java.io.IOException {
    org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files =
        out.fileSystem().listFiles(out.staging(), true);
    List<Path> marks = new java.util.ArrayList<>();
    while (files.hasNext()) {
      Path p = files.next().getPath();
      if (p.getName().equals(StagedOutput.SUCCESS)) {
        marks.add(p);
      }
    }
    for (Path p : marks) {
      out.fileSystem().delete(p, false);
    }
  }

  /** The exception's own message, or its first cause's, on one line. */
  public static String oneLine(Throwable e) {
    Throwable t = e;
    while (t.getMessage() == null && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return Failures.firstLine(m);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object options) {
    return new ObjectMapper().convertValue(options, Map.class);
  }
}
