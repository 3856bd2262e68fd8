package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.parallax.cli.ParallaxCli;

/**
 * The launch templates users run: the Airflow DAGs (checked by their own structural test, which
 * needs no Airflow), EMR steps and GPU configuration, and Dataproc batch and job bodies. Every
 * template must name the real main class and cluster jar, use only properties the conf profiles
 * define, and carry parallax command lines that parse and validate.
 */
class OperationsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MAIN = "org.parallax.cli.ParallaxCli";
  private final Path root = Path.of(System.getProperty("parallax.root"));

  @Test
  void airflowDagsPassTheirStructuralTestAndEveryCommandParses() throws Exception {
    Path script = root.resolve("submit/airflow/test_parallax_dag.py");
    Process p = new ProcessBuilder("python3", script.toString()).redirectErrorStream(false)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), err);
    Set<String> keys = confKeys();
    Set<String> dags = new HashSet<>();
    int commands = 0;
    for (String line : out.strip().split("\n")) {
      JsonNode c = JSON.readTree(line);
      dags.add(c.get("dag").asText());
      String name = ParallaxCli.check(args(c.get("args"), "{{ ds }}", "2026-01-01"));
      assertTrue(name.startsWith("parallax "), name);
      if (c.has("conf")) {
        c.get("conf").fieldNames().forEachRemaining(k -> assertTrue(keys.contains(k), k));
      }
      commands++;
    }
    assertEquals(Set.of("parallax_daily", "parallax_daily_emr", "parallax_daily_dataproc"), dags);
    assertEquals(30, commands, "10 jobs in each of 3 DAGs");
  }

  @Test
  void emrStepsNameTheJarMainClassAndDefinedProperties() throws Exception {
    JsonNode steps = JSON.readTree(root.resolve("submit/emr/steps.json").toFile());
    Set<String> keys = confKeys();
    assertTrue(steps.size() >= 4);
    for (JsonNode step : steps) {
      assertEquals("command-runner.jar", step.get("Jar").asText());
      String[] a = args(step.get("Args"), null, null);
      assertEquals("spark-submit", a[0]);
      int jar = -1;
      for (int i = 1; i < a.length; i++) {
        if (a[i].equals("--class")) {
          assertEquals(MAIN, a[i + 1]);
          Class.forName(a[i + 1]);
        } else if (a[i].equals("--conf")) {
          String key = a[i + 1].substring(0, a[i + 1].indexOf('='));
          assertTrue(keys.contains(key), step.get("Name") + ": " + key);
        } else if (a[i].endsWith(clusterJarName())) {
          jar = i;
          break;
        }
      }
      assertTrue(jar > 0, "the cluster jar in " + step.get("Name"));
      ParallaxCli.check(java.util.Arrays.copyOfRange(a, jar + 1, a.length));
    }
    JsonNode gpu = JSON.readTree(root.resolve("submit/emr/configurations-gpu.json").toFile());
    Map<String, String> gpuConf = conf("conf/gpu.conf");
    boolean sparkDefaults = false;
    for (JsonNode c : gpu) {
      if (c.get("Classification").asText().equals("spark-defaults")) {
        sparkDefaults = true;
        Iterator<Map.Entry<String, JsonNode>> it = c.get("Properties").fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          assertTrue(keys.contains(e.getKey()), "EMR GPU property " + e.getKey());
        }
        assertEquals(gpuConf.get("spark.plugins"),
            c.get("Properties").get("spark.plugins").asText());
        assertEquals(gpuConf.get("spark.task.resource.gpu.amount"),
            c.get("Properties").get("spark.task.resource.gpu.amount").asText());
      }
    }
    assertTrue(sparkDefaults);
  }

  @Test
  void dataprocTemplatesNameTheJarMainClassAndDefinedProperties() throws Exception {
    Set<String> keys = confKeys();
    List<Path> files;
    try (Stream<Path> s = Files.list(root.resolve("submit/dataproc"))) {
      files = s.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertTrue(files.size() >= 2);
    for (Path f : files) {
      JsonNode body = JSON.readTree(f.toFile());
      JsonNode job = body.has("sparkBatch") ? body.get("sparkBatch") : body.get("sparkJob");
      assertTrue(job != null, f + ": sparkBatch or sparkJob");
      assertEquals(MAIN, job.get("mainClass").asText());
      Class.forName(job.get("mainClass").asText());
      boolean jar = false;
      for (JsonNode uri : job.get("jarFileUris")) {
        jar |= uri.asText().endsWith("/" + clusterJarName());
      }
      assertTrue(jar, f + ": the cluster jar");
      ParallaxCli.check(args(job.get("args"), null, null));
      JsonNode props = body.has("runtimeConfig") ? body.get("runtimeConfig").get("properties")
          : job.get("properties");
      props.fieldNames().forEachRemaining(k -> assertTrue(keys.contains(k), f + ": " + k));
    }
  }

  /** The cluster jar the build produces, which every template must name. */
  private String clusterJarName() throws IOException {
    try (Stream<Path> s = Files.list(root.resolve("spark-jobs/target"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("-cluster.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("cluster jar not built"));
    }
  }

  private Set<String> confKeys() throws IOException {
    Set<String> keys = new HashSet<>(conf("conf/cluster.conf").keySet());
    keys.addAll(conf("conf/gpu.conf").keySet());
    return keys;
  }

  private Map<String, String> conf(String file) throws IOException {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String line : Files.readAllLines(root.resolve(file))) {
      String t = line.strip();
      if (!t.isEmpty() && !t.startsWith("#")) {
        String[] kv = t.split("\\s+", 2);
        out.put(kv[0], kv.length > 1 ? kv[1] : "");
      }
    }
    return out;
  }

  private static String[] args(JsonNode array, String from, String to) {
    List<String> out = new ArrayList<>();
    array.forEach(a -> out.add(from == null ? a.asText() : a.asText().replace(from, to)));
    return out.toArray(String[]::new);
  }
}
