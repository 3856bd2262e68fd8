package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a person sees on the console of {@code submit/run}, in a JVM of its own as users start
 * it (with the shipped log configuration and the launcher's filter of native warnings): parallax's
 * lines, its one-line result or failure, never a stack trace or an engine's warning.
 */
class ConsoleTest extends SparkTestBase {
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."));

  private record Console(int status, List<String> out, List<String> err) {}

  private Console run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("submit/run").toString()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("PARALLAX_DRIVER_MEMORY", "2g");
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "submit/run " + String.join(" ", args));
    return new Console(p.exitValue(), Files.readAllLines(out), Files.readAllLines(err));
  }

  /** Lines a reader should never see on the console: traces, Spark's warnings, engines' notes. */
  private static void assertQuiet(Console c) {
    for (String line : c.err()) {
      assertTrue(!line.matches("\\s+at .*") && !line.contains("Exception in task")
          && !line.contains(" WARN ") && !line.contains("Warning:")
          && !line.contains("$anonfun$"), "on the console: " + line + "\n" + c.err());
    }
  }

  @Test
  void datagenIndexSearchChainNeedsNoFormatAndFailuresAreOneLine() throws Exception {
    Console gen = run("datagen", "retrieval", "--out", "q", "--scale", "400");
    assertEquals(0, gen.status(), String.join("\n", gen.err()));
    // datagen writes JSON parts into a folder named "corpus": the format comes from the parts.
    Console index = run("retrieval", "index", "--corpus", "q/corpus", "--out", "idx",
        "--shards", "2");
    assertEquals(0, index.status(), String.join("\n", index.err()));
    assertEquals(400, report(tmp.resolve("idx")).get("counts").get("documents").asLong());
    assertQuiet(index);
    Console search = run("retrieval", "search", "--index", "idx", "--queries", "q/qa",
        "--out", "hits", "--k", "3");
    assertEquals(0, search.status(), String.join("\n", search.err()));
    assertQuiet(search);

    // Forcing the wrong format fails inside the executors: one line, no executor trace.
    Console bad = run("retrieval", "index", "--corpus", "q/corpus", "--format", "parquet",
        "--out", "bad");
    assertEquals(1, bad.status(), String.join("\n", bad.err()));
    assertEquals(1, bad.err().stream().filter(l -> l.startsWith("parallax: failed:")).count(),
        String.join("\n", bad.err()));
    assertQuiet(bad);
  }

  @Test
  void recsysPipelinePrintsNoEngineWarnings() throws Exception {
    assertEquals(0, run("datagen", "recsys", "--out", "r", "--scale", "1500").status());
    Console pipeline = run("recsys", "pipeline", "--interactions", "r/interactions", "--out",
        "p", "--epochs", "1");
    assertEquals(0, pipeline.status(), String.join("\n", pipeline.err()));
    assertQuiet(pipeline);
    assertTrue(pipeline.out().stream().anyMatch(l -> l.startsWith("recsys pipeline: outputs")),
        String.join("\n", pipeline.out()));
    // The engine's own deprecation note went to the log folder, not to the console.
    assertTrue(pipeline.err().stream().noneMatch(l -> l.contains("AutoNonVariableTypeMode")));
  }
}
