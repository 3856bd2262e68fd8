package org.parallax.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.parallax.common.SparkSessions;
import org.parallax.demo.Demo;
import org.parallax.demo.DemoOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: every area on generated data, one report.html. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run every area on generated data and write report.html with numbers and charts.")
public final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", defaultValue = "parallax-demo", paramLabel = "DIR",
      description = "Demo directory, replaced on each run (default: ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--scale", defaultValue = "1", paramLabel = "X",
      description = "Scale factor for the generated data (default: ${DEFAULT-VALUE}).")
  double scale;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
      description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    Path html = new Demo(SparkSessions.getOrCreate("demo"), new DemoOptions(out, scale, seed)).run();
    spec.commandLine().getOut().println("demo: report written to " + html);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
