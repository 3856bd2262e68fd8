package org.parallax.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.parallax.common.JobReport;
import org.parallax.gpu.GpuPlanCheck;
import org.parallax.gpu.GpuPlanReport;
import org.parallax.gpu.RapidsJar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gpu-plan <area> <job> [job options]}: what RAPIDS would run on the GPU, on a CPU. */
@Command(name = "gpu-plan", mixinStandardHelpOptions = true,
    description = "Run a job with the RAPIDS accelerator in explain-only mode (no GPU needed) and "
        + "report, per stage, which operators would run on the GPU and which fall back, and why.")
public final class GpuPlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--rapids-jar", paramLabel = "JAR",
      description = "The RAPIDS jar (default: $PARALLAX_RAPIDS_JAR, else the Maven local "
          + "repository).")
  String rapidsJar;

  @Option(names = "--plan-out", defaultValue = "gpu-plan.json", paramLabel = "FILE",
      description = "Where to write the plan report (default: ${DEFAULT-VALUE}).")
  String planOut;

  @Parameters(arity = "2..*", paramLabel = "AREA JOB [OPTIONS]",
      description = "The job to check and its options; --out defaults to a temporary directory.")
  List<String> job;

  @Override
  public Integer call() throws IOException {
    File jar = RapidsJar.locate(rapidsJar);
    List<String> args = new ArrayList<>(job);
    Path tmp = null;
    if (!args.contains("--out")) {
      tmp = Files.createTempDirectory("parallax-gpu-plan");
      args.add("--out");
      args.add(tmp.resolve("out").toString());
    }
    int[] status = new int[1];
    GpuPlanReport report = GpuPlanCheck.run(jar, String.join(" ", job),
        () -> ParallaxCli.commandLine().execute(args.toArray(String[]::new)), status);
    Files.writeString(Path.of(planOut), JobReport.json().writeValueAsString(report),
        StandardCharsets.UTF_8);
    spec.commandLine().getOut().println(report.summary());
    spec.commandLine().getOut().println("gpu-plan: report written to " + planOut);
    spec.commandLine().getOut().flush();
    if (tmp != null) {
      deleteTree(tmp);
    }
    return status[0];
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
