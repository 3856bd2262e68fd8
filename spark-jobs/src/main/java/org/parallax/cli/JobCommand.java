package org.parallax.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.parallax.common.Job;
import org.parallax.common.JobOptions;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the commands that run one job: parse, build the options record, run it through
 * {@link JobRunner}, print where the output and the report are. No job logic lives here.
 *
 * @param <O> the job's options record
 */
public abstract class JobCommand<O extends JobOptions> implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** The job to run. */
  protected abstract Job<O> job();

  /** The job's options, from the parsed command line. */
  protected abstract O options();

  @Override
  public Integer call() {
    O options = options();
    JobReport report = JobRunner.run(job(), options);
    PrintWriter out = spec.commandLine().getOut();
    String target = job().common(options).out();
    out.printf("%s: %s in %.1fs; output %s (report %s/%s)%n", report.job, report.status,
        report.seconds, target, target, JobRunner.REPORT);
    long quarantined = report.quarantinedRows();
    if (quarantined > 0) {
      out.printf("%s: %,d malformed input rows quarantined under %s/_quarantine/%n",
          report.job, quarantined, target);
    }
    out.flush();
    return 0;
  }
}
