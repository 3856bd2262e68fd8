package org.parallax.common;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * Prints progress lines for Spark stages: tasks done of total, rows read and written, elapsed
 * time and, while it runs, an ETA from the mean task time. A finished Spark stage gets a line when
 * it is the first of its parallax stage or took at least a second, so a pipeline of hundreds of
 * short Spark stages shows each of its own stages and its slow work, not every Spark stage. Lines
 * go to stderr, which is the terminal on local runs and the driver log on clusters; a running
 * stage reports at most every few seconds. Runs on the listener bus thread.
 */
public final class ProgressListener extends SparkListener {
  private static final long REPORT_EVERY_NANOS = 5_000_000_000L;
  private static final double SLOW_STAGE_SECONDS = 1.0;

  private final String job;
  private final PrintStream out;
  private final Map<Integer, StageProgress> stages = new ConcurrentHashMap<>();
  private final java.util.Set<String> shown = ConcurrentHashMap.newKeySet();

  private static final class StageProgress {
    final long started = System.nanoTime();
    final int tasks;
    final String name;
    int done;
    long rowsIn;
    long rowsOut;
    long lastReport = System.nanoTime();

    StageProgress(int tasks, String name) {
      this.tasks = tasks;
      this.name = name;
    }
  }

  public ProgressListener(String job) {
    this(job, System.err);
  }

  public ProgressListener(String job, PrintStream out) {
    this.job = job;
    this.out = out;
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    StageInfo info = event.stageInfo();
    String description = event.properties() == null ? null
        : event.properties().getProperty("spark.job.description");
    stages.put(info.stageId(), new StageProgress(info.numTasks(), name(description, info.name())));
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    StageProgress p = stages.get(event.stageId());
    if (p == null || event.taskMetrics() == null) {
      return;
    }
    synchronized (p) {
      p.done++;
      p.rowsIn += event.taskMetrics().inputMetrics().recordsRead()
          + event.taskMetrics().shuffleReadMetrics().recordsRead();
      p.rowsOut += event.taskMetrics().outputMetrics().recordsWritten()
          + event.taskMetrics().shuffleWriteMetrics().recordsWritten();
      long now = System.nanoTime();
      if (now - p.lastReport > REPORT_EVERY_NANOS && p.done < p.tasks) {
        p.lastReport = now;
        double elapsed = (now - p.started) / 1e9;
        double eta = elapsed / p.done * (p.tasks - p.done);
        out.println(line(event.stageId(), p, elapsed) + String.format(", ETA %.0fs", eta));
      }
    }
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    StageProgress p = stages.remove(event.stageInfo().stageId());
    if (p == null) {
      return;
    }
    double elapsed = (System.nanoTime() - p.started) / 1e9;
    boolean failed = event.stageInfo().failureReason().isDefined();
    if (!shown.add(p.name) && elapsed < SLOW_STAGE_SECONDS && !failed) {
      return;
    }
    String status = failed ? " FAILED" : " done";
    synchronized (p) {
      out.println(line(event.stageInfo().stageId(), p, elapsed) + status);
    }
  }

  private String line(int stageId, StageProgress p, double elapsed) {
    return String.format("[parallax %s] stage %d (%s): %d/%d tasks, %,d rows in, %,d rows out, %.1fs",
        job, stageId, p.name, p.done, p.tasks, p.rowsIn, p.rowsOut, elapsed);
  }

  /**
   * The parallax stage that launched a Spark stage ({@code "<job>: <stage>"}, the job
   * description {@link JobReport} sets, less the job's name), else Spark's call site less its
   * source position; Spark's internal closure names ({@code $anonfun$...}) become "spark".
   */
  String name(String description, String sparkName) {
    if (description != null && !description.isBlank()) {
      return description.startsWith(job + ": ") ? description.substring(job.length() + 2)
          : description;
    }
    int at = sparkName.indexOf(" at ");
    String site = at < 0 ? sparkName : sparkName.substring(0, at);
    return site.contains("$anonfun$") ? "spark" : site;
  }
}
