package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The kill cell of the bad-input matrix: a job replacing an existing output runs in a child JVM
 * (as {@code submit/run} starts it) and is killed with SIGKILL in the middle of its work. The
 * previous output and the input stay byte-for-byte as they were, and the next run of the job
 * removes the dead run's staging directory, says so in its report, and leaves none behind.
 */
class KillRecoveryTest extends SparkTestBase {
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."));

  private record Target(String name, List<String> command, String inputOption,
      IntFunction<String> line, int rows) {}

  // Inputs sized so that the previous output and the recovery run are quick while the child,
  // killed at its first progress line, has most of its stages still ahead (the recsys log spans
  // 86 days, so that its four training windows hold events).
  private static final List<Target> TARGETS = List.of(
      new Target("recsys graph", List.of("recsys", "graph", "--train-windows", "4"),
          "--interactions", i -> String.format("{\"user_id\": %d, \"item_id\": %d, "
              + "\"ts\": %d}", i % 503, i % 97, 1_700_000_000L + i * 1_480L), 5_000),
      new Target("avinfo stats", List.of("avinfo", "stats", "--bootstrap", "20"), "--frames",
          i -> String.format("{\"utterance_id\": \"u%05d\", \"frame\": %d, \"audio_unit\": %d, "
              + "\"visual_unit\": %d, \"text_unit\": %d}", i / 50, i % 50, i % 31, i % 17,
              i % 7), 5_000),
      new Target("retrieval index", List.of("retrieval", "index", "--shards", "4"), "--corpus",
          i -> String.format("{\"id\": \"%07d\", \"contents\": \"\\\"T%d\\\"\\nw%d w%d w%d some "
              + "more words for the passage\"}", i, i, i % 1000, i % 777, i % 13), 4_000));

  @TestFactory
  Stream<DynamicTest> aJobKilledMidRunLosesNothingAndLeavesNothing() {
    return TARGETS.stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> killed(t)));
  }

  private void killed(Target t) throws Exception {
    System.out.println("[kill recovery] " + t.name());
    Path dir = Files.createTempDirectory(tmp, "kill");
    Path in = dir.resolve("input.jsonl");
    List<String> lines = new ArrayList<>(t.rows());
    for (int i = 0; i < t.rows(); i++) {
      lines.add(t.line().apply(i));
    }
    Files.write(in, lines, StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(t.command());
    args.addAll(List.of(t.inputOption(), in.toString(), "--format", "jsonl", "--out",
        out.toString(), "--overwrite"));
    String input = BadInputMatrixTest.checksum(in);
    assertEquals(0, cli(args.toArray(String[]::new)).status());
    String previous = BadInputMatrixTest.checksum(out);

    Path log = dir.resolve("child.log");
    Process child = childJvm(args, log);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    // Killed at its first progress line: staging exists and the job is in its Spark work.
    String working = "[parallax " + t.name() + "] stage";
    while (child.isAlive() && System.nanoTime() < deadline
        && !(Files.exists(log) && Files.readString(log).contains(working)
            && !staging(dir).isEmpty())) {
      Thread.sleep(50);
    }
    assertTrue(child.isAlive(), "the child finished before it could be killed: "
        + Files.readString(log));
    child.destroyForcibly();
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, child.exitValue(), "killed with SIGKILL");
    assertFalse(staging(dir).isEmpty(), "the killed run's staging is there to be cleaned");
    assertEquals(previous, BadInputMatrixTest.checksum(out), "the previous output was touched");
    assertEquals(input, BadInputMatrixTest.checksum(in), "the input was touched");

    Run next = cli(args.toArray(String[]::new));
    assertEquals(0, next.status(), next.err());
    JsonNode cleaned = report(out).get("cleaned");
    assertTrue(cleaned != null && cleaned.toString().contains("._staging-")
        && cleaned.toString().contains("is gone"), String.valueOf(cleaned));
    BadInputMatrixTest.assertNoStaging(dir);
    assertEquals(input, BadInputMatrixTest.checksum(in));
  }

  private static List<Path> staging(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().contains("._staging-")).toList();
    }
  }

  /** The CLI in a JVM of its own, launched as {@code submit/run} launches it. */
  private static Process childJvm(List<String> args, Path log) throws Exception {
    Path jar = Path.of(System.getProperty("parallax.cluster.jar"));
    String classpath = Files.readString(ROOT.resolve("spark-jobs/target/local-classpath.txt"))
        .trim();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    cmd.addAll(ManagementArgs.javaOpts());
    cmd.addAll(Files.readAllLines(ROOT.resolve("submit/java17-opens")).stream()
        .filter(l -> !l.isBlank()).toList());
    cmd.addAll(List.of("-Dspark.master=local[2]", "-Dspark.ui.enabled=false",
        "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
        "-Dspark.sql.shuffle.partitions=4",
        "-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"),
        "-cp", jar + File.pathSeparator + classpath, "org.parallax.cli.ParallaxCli"));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }
}
