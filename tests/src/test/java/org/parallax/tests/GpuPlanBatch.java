package org.parallax.tests;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parallax.cli.ParallaxCli;

/**
 * Runs several {@code gpu-plan} commands one after the other in one JVM (each starts and stops
 * its own SparkContext with the RAPIDS extension), so that the plan checks pay one JVM start.
 * Arguments: {@code OUTDIR NAME -- ARGS... [-- NAME ARGS...]...}; each run prints into
 * {@code OUTDIR/NAME.out}. Exits with the first non-zero status, after running every command.
 */
public final class GpuPlanBatch {
  private GpuPlanBatch() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    List<List<String>> runs = new ArrayList<>();
    for (String a : Arrays.asList(args).subList(1, args.length)) {
      if (a.equals("--") || runs.isEmpty()) {
        runs.add(new ArrayList<>());
      }
      if (!a.equals("--")) {
        runs.get(runs.size() - 1).add(a);
      }
    }
    int status = 0;
    PrintStream console = System.out;
    for (List<String> run : runs) {
      String name = run.get(0);
      try (PrintStream out = new PrintStream(dir.resolve(name + ".out").toFile(),
          StandardCharsets.UTF_8)) {
        System.setOut(out);
        int s = ParallaxCli.execute(run.subList(1, run.size()).toArray(String[]::new));
        console.println(name + ": exit " + s);
        status = status == 0 ? s : status;
      } finally {
        System.setOut(console);
      }
    }
    System.exit(status);
  }
}
