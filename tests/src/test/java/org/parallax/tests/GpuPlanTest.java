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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RAPIDS plan check on this CPU-only machine, run as users run it: in a JVM of its own (the
 * SQL extension is read when the SparkContext starts). The inputs are built here first; then one
 * JVM ({@link GpuPlanBatch}) runs the five {@code gpu-plan} commands one after the other, and each
 * test reads its plan report.
 */
class GpuPlanTest extends SparkTestBase {
  @TempDir static Path work;

  @BeforeAll
  static void planEveryJob() throws Exception {
    Path data = work.resolve("data");
    assertEquals(0, cli("datagen", "recsys", "--out", data.toString(), "--scale", "3000")
        .status());
    Path graph = work.resolve("graph");
    assertEquals(0, cli("recsys", "graph", "--interactions",
        data.resolve("interactions").toString(), "--out", graph.toString()).status());
    Path features = work.resolve("features");
    assertEquals(0, cli("recsys", "features", "--graph", graph.toString(), "--fanout", "8",
        "--out", features.toString()).status());
    Path model = work.resolve("model");
    Run train = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "8", "--dim", "8", "--epochs", "1", "--out",
        model.toString());
    assertEquals(0, train.status(), train.err());
    Path av = work.resolve("av");
    assertEquals(0, cli("datagen", "avinfo", "--out", av.toString(), "--scale", "5000")
        .status());
    gpuPlans(
        List.of("graph", "recsys", "graph", "--interactions",
            data.resolve("interactions").toString(), "--users", data.resolve("users").toString(),
            "--items", data.resolve("items").toString()),
        List.of("features", "recsys", "features", "--graph", graph.toString()),
        List.of("eval", "recsys", "eval", "--graph", graph.toString(), "--model",
            model.toString(), "--baselines", "popularity,past_visits"),
        List.of("datagen", "datagen", "recsys", "--scale", "1000"),
        List.of("stats", "avinfo", "stats", "--frames", av.resolve("frames").toString(),
            "--bootstrap", "3", "--null-replicates", "3"));
  }

  @Test
  void graphJobRelationalStagesRunFullyOnGpu() throws Exception {
    String out = printed("graph");
    assertTrue(out.contains("operators on GPU"), out);
    JsonNode stages = json(work.resolve("graph.json")).get("stages");
    assertTrue(stages.size() >= 5, "stages: " + stages.size());
    Set<String> execs = new HashSet<>();
    List<String> fallbacks = new ArrayList<>();
    for (JsonNode stage : stages) {
      for (JsonNode op : stage.get("operators")) {
        if (op.get("kind").asText().equals("Exec")) {
          execs.add(op.get("name").asText());
          if (!op.get("on_gpu").asBoolean()) {
            fallbacks.add(op.get("name").asText() + ": " + op.get("reason").asText());
          }
        }
      }
    }
    assertTrue(execs.containsAll(List.of("HashAggregateExec", "WindowExec", "SortExec",
        "ShuffleExchangeExec", "FileSourceScanExec", "DataWritingCommandExec")), execs.toString());
    assertTrue(execs.stream().anyMatch(e -> e.contains("Join")), "a join: " + execs);
    assertEquals(List.of(), fallbacks);

    int featureExecs = 0;
    for (JsonNode stage : json(work.resolve("features.json")).get("stages")) {
      for (JsonNode op : stage.get("operators")) {
        if (op.get("kind").asText().equals("Exec")) {
          featureExecs++;
          assertTrue(op.get("on_gpu").asBoolean(), "features: " + op);
        }
      }
    }
    assertTrue(featureExecs > 50, "features execs " + featureExecs);

    // eval with ContextGNN: the DJL inference stage (a mapPartitions over rows) is the only
    // fallback; local subgraphs, the SQL baselines and the metrics plan on the GPU.
    Set<String> evalFallbacks = new HashSet<>();
    int evalExecs = 0;
    for (JsonNode stage : json(work.resolve("eval.json")).get("stages")) {
      for (JsonNode op : stage.get("operators")) {
        if (op.get("kind").asText().equals("Exec")) {
          evalExecs++;
          if (!op.get("on_gpu").asBoolean()) {
            evalFallbacks.add(op.get("name").asText());
          }
        }
      }
    }
    assertEquals(Set.of("DeserializeToObjectExec", "MapPartitionsExec", "SerializeFromObjectExec"),
        evalFallbacks);
    assertTrue(evalExecs > 100, "eval execs " + evalExecs);
  }

  @Test
  void javaLambdaOfTheGeneratorIsReportedAsFallback() throws Exception {
    String out = printed("datagen");
    JsonNode stages = json(work.resolve("datagen.json")).get("stages");
    boolean lambdaFallback = false;
    for (JsonNode stage : stages) {
      for (JsonNode op : stage.get("operators")) {
        String name = op.get("name").asText();
        if ((name.equals("MapElementsExec") || name.equals("MapPartitionsExec")
            || name.equals("DeserializeToObjectExec")) && !op.get("on_gpu").asBoolean()) {
          lambdaFallback = true;
          assertFalse(op.get("reason").asText().isBlank());
        }
      }
    }
    assertTrue(lambdaFallback, out);
    assertTrue(out.contains("falls back"), out);
  }

  @Test
  void avinfoStatsCountingAggregatesRunOnGpu() throws Exception {
    int aggregates = 0;
    for (JsonNode stage : json(work.resolve("stats.json")).get("stages")) {
      for (JsonNode op : stage.get("operators")) {
        if (!op.get("kind").asText().equals("Exec")) {
          continue;
        }
        String name = op.get("name").asText();
        boolean onGpu = op.get("on_gpu").asBoolean();
        if (name.equals("HashAggregateExec")) {
          aggregates++;
          assertTrue(onGpu, "a counting aggregate off the GPU: " + op);
        }
        // Off the GPU only: the local scan of the small per-group result tables the driver
        // builds (15 measures per speaker or source) when they are written, and the one Java
        // step that turns the per-utterance count tables (after a relational exchange) into
        // leave-one-out and group profiles through the one arithmetic (JointCounts), with the
        // scan of its result.
        assertTrue(onGpu || java.util.Set.of("LocalTableScanExec", "DeserializeToObjectExec",
            "MapPartitionsExec", "SerializeFromObjectExec", "RDDScanExec", "ExternalRDDScanExec")
            .contains(name), "stats: " + op);
      }
    }
    assertTrue(aggregates > 20, "count-table aggregates: " + aggregates);
  }

  /** What the {@code gpu-plan} run {@code name} printed. */
  private static String printed(String name) throws Exception {
    return Files.readString(work.resolve(name + ".out"), StandardCharsets.UTF_8);
  }

  /**
   * Runs {@code gpu-plan} for each {@code NAME AREA JOB [OPTIONS]} in one fresh JVM, the report
   * of each into {@code NAME.json} and what it printed into {@code NAME.out}.
   */
  @SafeVarargs
  private static void gpuPlans(List<String>... jobs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(ManagementArgs.javaOpts());
    cmd.addAll(ManagementArgs.opens());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(GpuPlanBatch.class.getName());
    cmd.add(work.toString());
    for (List<String> job : jobs) {
      cmd.add("--");
      cmd.add(job.get(0));
      cmd.addAll(List.of("gpu-plan", "--rapids-jar", System.getProperty("parallax.rapids.jar"),
          "--plan-out", work.resolve(job.get(0) + ".json").toString()));
      cmd.addAll(job.subList(1, job.size()));
    }
    File log = work.resolve("gpu-plan.log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "gpu-plan timed out");
    String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
  }
}
