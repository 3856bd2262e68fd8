package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The cluster launcher builds the spark-submit command users run. */
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
