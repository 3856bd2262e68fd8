package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launchers: the spark-submit command users run, and the class-data archive. */
class LauncherTest {
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."));

  @Test
  void dryRunPrintsTheCommandWithProfilesJarsAndJobArguments() throws Exception {
    String cpu = run("--dry-run", "--master", "yarn", "--deploy-mode", "cluster", "--conf",
        "spark.executor.instances=8", "retrieval", "index", "--corpus", "hdfs:///c", "--out",
        "hdfs:///i");
    assertTrue(cpu.startsWith("spark-submit "), cpu);
    assertTrue(cpu.contains("--class org.parallax.cli.ParallaxCli"), cpu);
    assertTrue(cpu.contains("--master yarn --deploy-mode cluster"), cpu);
    assertTrue(cpu.contains("--conf spark.sql.shuffle.partitions=400"), "cluster.conf: " + cpu);
    assertTrue(cpu.contains("--conf spark.executor.instances=8"), cpu);
    assertTrue(cpu.contains("pytorch-native-cpu-2.7.1-linux-x86_64.jar"), cpu);
    assertFalse(cpu.contains("spark.plugins"), "no GPU profile without --gpu");
    assertTrue(cpu.trim().endsWith("parallax-spark-jobs-0.1.0-SNAPSHOT-cluster.jar retrieval index "
        + "--corpus hdfs:///c --out hdfs:///i"), cpu);
    // The user's --conf comes after the profiles, so it wins.
    assertTrue(cpu.indexOf("spark.executor.instances=8") > cpu.indexOf("spark.executor.cores"));

    String gpu = run("--dry-run", "--gpu", "datagen", "recsys", "--out", "/tmp/x");
    assertTrue(gpu.contains("--conf spark.plugins=com.nvidia.spark.SQLPlugin"), gpu);
    assertTrue(gpu.contains("--conf spark.executor.resource.gpu.amount=1"), gpu);
    assertTrue(gpu.contains("rapids-4-spark_2.12-25.04.0.jar"), gpu);
    assertTrue(gpu.contains("pytorch-native-cu124"), gpu);
  }

  /**
   * {@code submit/run} passes the job's standard error to the console line by line as it comes
   * (Debian's awk, mawk, held every line until the JVM exited) and PyTorch's native warnings to
   * the log folder. The JVM is a stand-in on PATH that prints, waits three seconds and prints.
   */
  @Test
  void consoleLinesArriveAsPrintedAndNativeWarningsGoToTheLog(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    String warning = "[W1206 15:39:51.80 LegacyTypeDispatch.h:74] Warning: deprecated";
    Files.writeString(java, String.join("\n", "#!/usr/bin/env bash",
        "echo '[parallax datagen recsys] stage 1 (users): done' >&2",
        "echo '" + warning + "' >&2",
        "echo result",
        "sleep 3",
        "echo '[parallax datagen recsys] stage 2 (items): done' >&2", ""));
    assertTrue(java.toFile().setExecutable(true));
    ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("submit/run").toAbsolutePath().toString(),
        "datagen", "recsys").directory(dir.toFile());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("TMPDIR", dir.toString());
    pb.environment().put("PARALLAX_CDS", "off");
    Process p = pb.start();
    List<String> lines = new ArrayList<>();
    List<Long> arrived = new ArrayList<>();
    try (BufferedReader err = p.errorReader(StandardCharsets.UTF_8)) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        lines.add(line);
        arrived.add(System.nanoTime());
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join("\n", lines));
    assertEquals("result\n", out);
    assertEquals(List.of("[parallax datagen recsys] stage 1 (users): done",
        "[parallax datagen recsys] stage 2 (items): done"), lines);
    assertTrue(arrived.get(1) - arrived.get(0) >= TimeUnit.SECONDS.toNanos(2),
        "the first line reached the console only " + (arrived.get(1) - arrived.get(0)) / 1e9
            + " s before the second, printed 3 s later");
    assertEquals(List.of(warning), Files.readAllLines(dir.resolve(
        "parallax-logs/native-warnings.log")));
  }

  /**
   * {@code submit/run}'s collector: serial on one or two cores unless PARALLAX_JAVA_OPTS names
   * one, the JVM's default on more; the core count is the machine's, not OMP_NUM_THREADS. The JVM
   * and nproc are stand-ins on PATH.
   */
  @Test
  void smallMachinesRunTheSerialCollectorUnlessOneIsNamed(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path java = bin.resolve("java");
    Files.writeString(java, "#!/usr/bin/env bash\necho \"$*\"\n");
    assertTrue(java.toFile().setExecutable(true));
    Path nproc = bin.resolve("nproc");
    // Like GNU nproc, it answers OMP_NUM_THREADS when that is set.
    Files.writeString(nproc, "#!/usr/bin/env bash\necho \"${OMP_NUM_THREADS:-$CORES}\"\n");
    assertTrue(nproc.toFile().setExecutable(true));
    record Cell(String cores, String javaOpts, boolean serial) {}
    for (Cell c : List.of(new Cell("1", "", true), new Cell("2", "", true),
        new Cell("2", "-Xss4m", true), new Cell("4", "", false), new Cell("64", "", false),
        new Cell("2", "-XX:+UseParallelGC", false), new Cell("2", "-Xss4m -XX:+UseG1GC", false))) {
      ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("submit/run").toAbsolutePath()
          .toString(), "datagen", "recsys").directory(dir.toFile()).redirectErrorStream(true);
      pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
      pb.environment().put("TMPDIR", dir.toString());
      pb.environment().put("PARALLAX_CDS", "off");
      pb.environment().put("CORES", c.cores());
      pb.environment().put("OMP_NUM_THREADS", "1");
      pb.environment().put("PARALLAX_JAVA_OPTS", c.javaOpts());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      assertEquals(c.serial(), out.contains(" -XX:+UseSerialGC "), c + ": " + out);
      assertTrue(c.javaOpts().isEmpty() || out.contains(" " + c.javaOpts() + " "), c + ": " + out);
    }
  }

  /**
   * The launchers' class-data archive (submit/class-data): the first job run writes it and keeps
   * it only on success, one writer at a time (a dead writer's lock is taken over), later runs map
   * it, help runs, the bench and PARALLAX_CDS=off do neither. The JVM's part is simulated by a file.
   */
  @Test
  void classDataArchiveIsWrittenOnceKeptOnSuccessAndThenUsed(@TempDir Path dir) throws Exception {
    String script = String.join("\n",
        "set -euo pipefail",
        "source '" + ROOT.resolve("submit/class-data") + "'",
        "d='" + dir + "'",
        "flags() { echo \"$1: ${class_data_flags[*]:-none}\"; }",
        "class_data_begin \"$d\" k datagen recsys --help; flags help",
        "class_data_begin \"$d\" k bench --areas anserini; flags bench",
        "class_data_begin \"$d\" k datagen recsys; flags first",
        "first_dump=$class_data_dump",
        "( class_data_begin \"$d\" k datagen recsys; flags concurrent )",
        "echo partial > \"$first_dump\"; class_data_end 1; ls \"$d\" | sed 's/^/after-failure: /'",
        "class_data_begin \"$d\" k datagen recsys; flags retry",
        "echo 99999 > \"$class_data_archive.lock/pid\"",
        "class_data_begin \"$d\" k datagen recsys; flags dead-owner",
        "echo archive > \"$class_data_dump\"; class_data_end 0",
        "class_data_begin \"$d\" k datagen recsys; flags next",
        "PARALLAX_CDS=off class_data_begin \"$d\" k datagen recsys; flags off",
        "class_data_begin \"$d\" other-key datagen recsys; flags other",
        "ls \"$d\" | sed 's/^/left: /'");
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String archive = dir.resolve(sha1Prefix("k") + ".jsa").toString();
    assertTrue(out.contains("help: none"), out);
    assertTrue(out.contains("bench: none"), "the bench leaves the archive to its jobs: " + out);
    assertTrue(out.contains("first: -XX:ArchiveClassesAtExit=" + archive + "."), out);
    assertTrue(out.contains("concurrent: none"), "one writer at a time: " + out);
    assertFalse(out.contains("after-failure:"), "a failed run keeps nothing: " + out);
    assertTrue(out.contains("retry: -XX:ArchiveClassesAtExit="), out);
    assertTrue(out.contains("dead-owner: -XX:ArchiveClassesAtExit="), out);
    assertTrue(out.contains("next: -XX:SharedArchiveFile=" + archive + " -Xlog:cds=off"), out);
    assertTrue(out.contains("off: none"), out);
    assertTrue(out.contains("other: -XX:ArchiveClassesAtExit="), "another key, another archive");
    assertTrue(out.contains("left: " + sha1Prefix("k") + ".jsa\n"), out);
  }

  private static String sha1Prefix(String text) throws Exception {
    byte[] d = java.security.MessageDigest.getInstance("SHA-1")
        .digest(text.getBytes(StandardCharsets.UTF_8));
    return java.util.HexFormat.of().formatHex(d).substring(0, 16);
  }

  private static String run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("submit/spark-submit")
        .toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // As where Spark is installed: the command names spark-submit (see the fallback test).
    pb.environment().put("SPARK_SUBMIT", "spark-submit");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
