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
import org.junit.jupiter.api.Test;

/**
 * The RAPIDS plan check on this CPU-only machine, run as users run it: its own JVM (the SQL
 * extension is read when the SparkContext starts).
 */
class GpuPlanTest extends SparkTestBase {

  @Test
  void graphJobRelationalStagesRunFullyOnGpu() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "recsys", "--out", data.toString(), "--scale", "3000")
        .status());
    Path plan = tmp.resolve("graph-plan.json");
    String out = gpuPlan(plan, "recsys", "graph", "--interactions",
        data.resolve("interactions").toString(), "--users", data.resolve("users").toString(),
        "--items", data.resolve("items").toString());
    assertTrue(out.contains("operators on GPU"), out);
    JsonNode stages = json(plan).get("stages");
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

    Path graph = tmp.resolve("graph");
    assertEquals(0, cli("recsys", "graph", "--interactions",
        data.resolve("interactions").toString(), "--out", graph.toString()).status());
    Path featuresPlan = tmp.resolve("features-plan.json");
    gpuPlan(featuresPlan, "recsys", "features", "--graph", graph.toString());
    int featureExecs = 0;
    for (JsonNode stage : json(featuresPlan).get("stages")) {
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
    Path features = tmp.resolve("features");
    assertEquals(0, cli("recsys", "features", "--graph", graph.toString(), "--fanout", "8",
        "--out", features.toString()).status());
    Path model = tmp.resolve("model");
    Run train = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "8", "--dim", "8", "--epochs", "1", "--out",
        model.toString());
    assertEquals(0, train.status(), train.err());
    Path evalPlan = tmp.resolve("eval-plan.json");
    gpuPlan(evalPlan, "recsys", "eval", "--graph", graph.toString(), "--model", model.toString(),
        "--baselines", "popularity,past_visits");
    Set<String> evalFallbacks = new HashSet<>();
    int evalExecs = 0;
    for (JsonNode stage : json(evalPlan).get("stages")) {
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
    Path plan = tmp.resolve("datagen-plan.json");
    String out = gpuPlan(plan, "datagen", "recsys", "--scale", "1000");
    JsonNode stages = json(plan).get("stages");
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
    Path data = tmp.resolve("av");
    assertEquals(0, cli("datagen", "avinfo", "--out", data.toString(), "--scale", "5000")
        .status());
    Path plan = tmp.resolve("stats-plan.json");
    gpuPlan(plan, "avinfo", "stats", "--frames", data.resolve("frames").toString(),
        "--bootstrap", "3", "--null-replicates", "3");
    int aggregates = 0;
    for (JsonNode stage : json(plan).get("stages")) {
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
        // leave-one-out and group profiles through the one arithmetic (TableProfiles), with the
        // scan of its result.
        assertTrue(onGpu || java.util.Set.of("LocalTableScanExec", "DeserializeToObjectExec",
            "MapPartitionsExec", "SerializeFromObjectExec", "RDDScanExec", "ExternalRDDScanExec")
            .contains(name), "stats: " + op);
      }
    }
    assertTrue(aggregates > 20, "count-table aggregates: " + aggregates);
  }

  /** Runs {@code gpu-plan ARGS} in a fresh JVM and returns what it printed. */
  private String gpuPlan(Path planOut, String... job) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.addAll(ManagementArgs.javaOpts());
    for (String a : ManagementArgs.opens()) {
      cmd.add(a);
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("org.parallax.cli.ParallaxCli");
    cmd.add("gpu-plan");
    cmd.add("--rapids-jar");
    cmd.add(System.getProperty("parallax.rapids.jar"));
    cmd.add("--plan-out");
    cmd.add(planOut.toString());
    cmd.addAll(List.of(job));
    File log = tmp.resolve("gpu-plan.log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "gpu-plan timed out");
    String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return out;
  }
}
