package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same jobs on a real standalone cluster ({@code submit/local-cluster}: a master and two
 * workers, each executor a JVM of its own) through {@code submit/spark-submit}, exactly as on
 * EMR or Dataproc, give the embedded run's results; also when an executor JVM is killed with
 * SIGKILL in the middle of a search. {@code down} leaves no process behind.
 */
class ClusterTest extends SparkTestBase {
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."))
      .toAbsolutePath().normalize();
  private static String master;
  private static Path work;

  @BeforeAll
  static void up() throws Exception {
    work = Files.createTempDirectory("parallax-cluster-test");
    Script s = script(List.of("submit/local-cluster", "up", "--workers", "2", "--cores", "1",
        "--memory", "1g"), work.resolve("up.log"), 180);
    assertEquals(0, s.status(), s.output());
    List<String> lines = s.output().lines().toList();
    master = lines.get(lines.size() - 1);
    assertTrue(master.matches("spark://127\\.0\\.0\\.1:[0-9]+"), s.output());
    System.out.println("[cluster] up at " + master);
  }

  @AfterAll
  static void down() throws Exception {
    Script s = script(List.of("submit/local-cluster", "down"), work.resolve("down.log"), 120);
    assertEquals(0, s.status(), s.output());
    // Nothing that ran from the assembled SPARK_HOME is left: master, workers, executors.
    Process p = new ProcessBuilder("pgrep", "-f", "local-cluster/spark-home").start();
    String left = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals("", left.trim(), "processes left after down");
    assertEquals(0, script(List.of("submit/local-cluster", "down"), work.resolve("down2.log"), 60)
        .status(), "down is safe to call twice");
  }

  @Test
  void retrievalOnTheClusterEqualsTheEmbeddedRunAlsoWhenAnExecutorIsKilled() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "retrieval", "--out", data.toString(), "--scale", "2000")
        .status());
    String corpus = data.resolve("corpus").toString();
    String qa = data.resolve("qa").toString();
    // Embedded.
    Path index = tmp.resolve("index");
    assertEquals(0, cli("retrieval", "index", "--corpus", corpus, "--format", "jsonl",
        "--shards", "3", "--out", index.toString()).status());
    Path search = tmp.resolve("search");
    assertEquals(0, cli("retrieval", "search", "--index", index.toString(), "--queries", qa,
        "--format", "jsonl", "--k", "5", "--out", search.toString()).status());
    // On the cluster, into the shared file system (here: this machine's).
    Path clusterIndex = tmp.resolve("cluster-index");
    Script built = submit(List.of("retrieval", "index", "--corpus", corpus, "--format", "jsonl",
        "--shards", "3", "--out", clusterIndex.toString()), "index");
    assertEquals(0, built.status(), built.output());
    JsonNode a = json(index.resolve("manifest.json"));
    JsonNode b = json(clusterIndex.resolve("manifest.json"));
    assertEquals(a.get("documents"), b.get("documents"));
    for (int i = 0; i < 3; i++) {
      assertEquals(a.get("shardList").get(i).get("docs"), b.get("shardList").get(i).get("docs"));
    }
    Path clusterSearch = tmp.resolve("cluster-search");
    Script searched = submit(List.of("retrieval", "search", "--index", clusterIndex.toString(),
        "--queries", qa, "--format", "jsonl", "--k", "5", "--out", clusterSearch.toString()),
        "search");
    assertEquals(0, searched.status(), searched.output());
    List<String> expected = results(search);
    assertTrue(expected.size() >= 500, "results: " + expected.size());
    assertEquals(expected, results(clusterSearch), "cluster search differs from embedded");
    for (String m : List.of("recall@1", "recall@5", "queries_with_answers")) {
      assertEquals(report(search).get("metrics").get(m), report(clusterSearch).get("metrics")
          .get(m), m);
    }

    // Once more, killing one executor JVM (SIGKILL) while the search runs.
    Path killedSearch = tmp.resolve("killed-search");
    Path log = work.resolve("killed-search.log");
    Process job = start(submitCommand(List.of("retrieval", "search", "--index",
        clusterIndex.toString(), "--queries", qa, "--format", "jsonl", "--k", "5", "--out",
        killedSearch.toString())), log);
    long victim = awaitSearchThenKillAnExecutor(job, log);
    assertTrue(job.waitFor(8, TimeUnit.MINUTES), "search did not finish after the kill");
    String output = Files.readString(log);
    assertEquals(0, job.exitValue(), output);
    System.out.println("[cluster] killed executor " + victim + "; the search completed");
    assertEquals(expected, results(killedSearch), "search after an executor loss differs");
    assertEquals(report(search).get("counts"), report(killedSearch).get("counts"),
        "counters double-counted a retried task");
  }

  /** Waits for the search's first progress line, then kills one executor JVM with SIGKILL. */
  private static long awaitSearchThenKillAnExecutor(Process job, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (System.nanoTime() < deadline && job.isAlive()) {
      if (Files.exists(log) && Files.readString(log).contains("[parallax retrieval search] stage")) {
        List<Long> executors = executors();
        if (!executors.isEmpty()) {
          long pid = executors.get(0);
          ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
          return pid;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no executor to kill during the search: " + Files.readString(log));
  }

  private static List<Long> executors() throws Exception {
    Process p = new ProcessBuilder("pgrep", "-f",
        "CoarseGrainedExecutorBackend.*local-cluster|local-cluster.*CoarseGrainedExecutorBackend")
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    List<Long> pids = new ArrayList<>();
    out.lines().filter(l -> !l.isBlank()).forEach(l -> pids.add(Long.parseLong(l.trim())));
    return pids;
  }

  private List<String> results(Path search) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.read().parquet(search.resolve("results").toString())
        .orderBy("query_id", "rank").collectAsList()) {
      rows.add(r.toString());
    }
    return rows;
  }

  private record Script(int status, String output) {}

  private static List<String> submitCommand(List<String> job) {
    List<String> cmd = new ArrayList<>(List.of("submit/spark-submit", "--master", master));
    cmd.addAll(job);
    return cmd;
  }

  private static Script submit(List<String> job, String name) throws Exception {
    return script(submitCommand(job), work.resolve(name + ".log"), 480);
  }

  private static Process start(List<String> cmd, Path log) throws IOException {
    List<String> bash = new ArrayList<>(List.of("bash"));
    bash.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(bash).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // No Spark installation on a CI machine: the wrapper runs Spark from the assembled home.
    pb.environment().remove("SPARK_SUBMIT");
    pb.environment().put("PARALLAX_DRIVER_MEMORY", "1g");
    return pb.start();
  }

  private static Script script(List<String> cmd, Path log, int seconds) throws Exception {
    Process p = start(cmd, log);
    boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    return new Script(done ? p.exitValue() : -1, Files.readString(log));
  }
}
