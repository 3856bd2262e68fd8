package org.parallax.cli;

import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.JobFailedException;
import org.parallax.common.Failures;
import org.parallax.common.OutputBusyException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: {@code parallax <area> <job> [options]}. Exit status 0 on success, 2 on
 * bad usage or when another run holds the output (after {@code --wait-for-output}), 1 when a job
 * fails; failures print one line that says why.
 */
@Command(name = "parallax", mixinStandardHelpOptions = true,
    versionProvider = ParallaxCli.Version.class,
    description = "Batch analytics on Apache Spark: recommendation graphs (ContextGNN), "
        + "Search-R1 retrieval and rollouts, audio-visual information statistics.",
    subcommands = {DatagenCommand.class, RetrievalCommand.class, RolloutCommand.class,
        RecsysCommand.class, AvinfoCommand.class, GpuPlanCommand.class,
        DemoCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class ParallaxCli extends GroupCommand {

  /** Reports the versions of parallax and its stack. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return org.parallax.common.Versions.all().entrySet().stream()
          .map(e -> e.getKey() + " " + e.getValue()).toArray(String[]::new);
    }
  }

  /** Parses and runs {@code args}, returning the exit status; for tests and the launcher. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /**
   * Checks a job command line without running it: parses {@code args} and builds the job's
   * options (which validates them). For launch templates (Airflow, EMR, Dataproc) and their tests.
   *
   * @return the job's qualified name, e.g. {@code parallax recsys graph}
   * @throws CommandLine.ParameterException on an unknown command or option, or a missing one
   * @throws IllegalArgumentException on invalid option values, or a command that is not a job
   */
  public static String check(String... args) {
    CommandLine.ParseResult r = commandLine().parseArgs(args);
    while (r.hasSubcommand()) {
      r = r.subcommand();
    }
    if (!(r.commandSpec().userObject() instanceof JobCommand<?> job)) {
      throw new IllegalArgumentException(r.commandSpec().qualifiedName() + " is not a job");
    }
    job.options();
    return r.commandSpec().qualifiedName();
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new ParallaxCli());
    // Everything after gpu-plan's own options is the checked job's command line, verbatim.
    cli.getSubcommands().get("gpu-plan").setStopAtPositional(true)
        .setUnmatchedOptionsArePositionalParams(true);
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      PrintWriter err = line.getErr();
      if (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)) {
        err.println("parallax: bad usage: " + (e.getMessage() == null
            ? Failures.describe(e) : e.getMessage()));
        err.println("try: " + line.getCommandSpec().qualifiedName() + " --help");
        err.flush();
        return CommandLine.ExitCode.USAGE;
      }
      if (e instanceof OutputBusyException) {
        err.println("parallax: busy: " + e.getMessage());
        err.flush();
        return CommandLine.ExitCode.USAGE;
      }
      if (e instanceof JobFailedException) {
        err.println("parallax: failed: " + e.getMessage());
      } else {
        java.nio.file.Path log = Failures.writeTraceLocally(line.getCommandSpec().qualifiedName(), e);
        err.println("parallax: failed: " + Failures.describe(e)
            + (log == null ? "" : "; full trace in " + log));
      }
      err.flush();
      return CommandLine.ExitCode.SOFTWARE;
    });
    return cli;
  }

  public static void main(String[] args) {
    int status = execute(args);
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
    System.exit(status);
  }
}
