package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What a person sees on the console of {@code submit/run}, started in a JVM of its own as users
 * start it (the shipped log configuration and the launcher's filter of native warnings).
 */
record Console(int status, List<String> out, List<String> err) {
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."));

  /**
   * Runs {@code submit/run ARGS} in {@code dir} (also its TMPDIR), with {@code unset} removed
   * from the environment.
   */
  static Console run(Path dir, List<String> unset, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("submit/run").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = pb.environment();
    env.put("PARALLAX_DRIVER_MEMORY", "2g");
    env.put("TMPDIR", dir.toString());
    unset.forEach(env::remove);
    Process p = pb.start();
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), "submit/run " + String.join(" ", args));
    return new Console(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  /** Lines a reader should never see on the console: traces, Spark's warnings, engines' notes. */
  void assertQuiet() {
    for (String line : err) {
      assertTrue(!line.matches("\\s+at .*") && !line.contains("Exception in task")
          && !line.contains(" WARN ") && !line.contains("Warning:")
          && !line.contains("$anonfun$") && !line.contains("AutoNonVariableTypeMode"),
          "on the console: " + line + "\n" + String.join("\n", err));
    }
  }

  /** Standard error, for failure messages. */
  String errText() {
    return String.join("\n", err);
  }
}
