package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same jobs on a real standalone cluster ({@code submit/local-cluster}: a master and two
 * workers, each executor a JVM of its own) through {@code submit/spark-submit}, exactly as on
 * EMR or Dataproc, give the embedded run's results; also when an executor JVM is killed with
 * SIGKILL in the middle of a search. {@code down} leaves no process behind.
 *
 * <p>On the 2 cores of a CI machine, the cluster comes up while the first test generates its
 * data, each cluster run goes on while the test computes the embedded run it is compared with,
 * and the cluster's JVMs (each lives for one job) run with C1 only and the serial collector
 * (see {@link #start}).
 */
class ClusterTest extends SparkTestBase {
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."))
      .toAbsolutePath().normalize();
  /** This checkout's cluster in a command line (pgrep's extended regex): not another's. */
  private static final String CLUSTER = ROOT.resolve("target/local-cluster").toString()
      .replaceAll("[\\\\.^$|?*+()\\[\\]{}]", "\\\\$0");
  /** The console, also while {@code cli} captures what a job prints in the test's thread. */
  private static final PrintStream CONSOLE = System.out;
  private static String master;
  private static Path work;
  private static Process up;

  /** Starts the cluster; the first test generates its data meanwhile (see {@link #master}). */
  @BeforeAll
  static void up() throws Exception {
    work = Files.createTempDirectory("parallax-cluster-test");
    up = start(List.of("submit/local-cluster", "up", "--workers", "2", "--cores", "1",
        "--memory", "1g"), work.resolve("up.log"));
  }

  /** The master URL, once {@code up} has brought the cluster up. */
  private static synchronized String master() throws Exception {
    if (master == null) {
      Script s = await(up, work.resolve("up.log"), 180);
      assertEquals(0, s.status(), s.output());
      List<String> lines = s.output().lines().toList();
      String url = lines.get(lines.size() - 1);
      assertTrue(url.matches("spark://127\\.0\\.0\\.1:[0-9]+"), s.output());
      master = url;
      CONSOLE.println("[cluster] up at " + master);
    }
    return master;
  }

  @AfterAll
  static void down() throws Exception {
    if (up.isAlive()) {
      up.waitFor(180, TimeUnit.SECONDS);
    }
    Script s = script(List.of("submit/local-cluster", "down"), work.resolve("down.log"), 120);
    assertEquals(0, s.status(), s.output());
    // Nothing that ran from the assembled SPARK_HOME is left: master, workers, executors.
    Process p = new ProcessBuilder("pgrep", "-f", CLUSTER + "/spark-home").start();
    String left = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals("", left.trim(), "processes left after down");
    assertEquals(0, script(List.of("submit/local-cluster", "down"), work.resolve("down2.log"), 60)
        .status(), "down is safe to call twice");
  }

  @Test
  void retrievalOnTheClusterEqualsTheEmbeddedRunAlsoWhenExecutorsAreKilled() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "retrieval", "--out", data.toString(), "--scale", "2000")
        .status());
    String corpus = data.resolve("corpus").toString();
    // 20 copies of each generated question, so the search stage lasts long enough to be hit.
    String qa = copies(data.resolve("qa"), 20).toString();
    // On the cluster, into the shared file system (here: this machine's), one executor JVM
    // killed while the shards are being built; the embedded runs meanwhile.
    Path clusterIndex = tmp.resolve("cluster-index");
    CompletableFuture<Void> clusterIndexed = submitKillingAsync(List.of("retrieval", "index",
        "--corpus", corpus, "--format", "jsonl", "--shards", "3", "--out",
        clusterIndex.toString()), "index", "retrieval index: build shards", "collect");
    // Embedded.
    Path index = tmp.resolve("index");
    assertEquals(0, cli("retrieval", "index", "--corpus", corpus, "--format", "jsonl",
        "--shards", "3", "--out", index.toString()).status());
    Path search = tmp.resolve("search");
    assertEquals(0, cli("retrieval", "search", "--index", index.toString(), "--queries", qa,
        "--format", "jsonl", "--k", "5", "--out", search.toString()).status());
    join(clusterIndexed);
    JsonNode a = json(index.resolve("manifest.json"));
    JsonNode b = json(clusterIndex.resolve("manifest.json"));
    assertEquals(a.get("documents"), b.get("documents"));
    for (int i = 0; i < 3; i++) {
      assertEquals(a.get("shardList").get(i).get("docs"), b.get("shardList").get(i).get("docs"));
    }
    List<String> expected = results(search);
    assertTrue(expected.size() >= 5_000, "results: " + expected.size());

    // The search on the cluster, one executor JVM killed (SIGKILL) while the search stage runs.
    Path killedSearch = tmp.resolve("killed-search");
    submitKilling(List.of("retrieval", "search", "--index", clusterIndex.toString(),
        "--queries", qa, "--format", "jsonl", "--k", "5", "--out", killedSearch.toString()),
        "killed-search", "retrieval search: search");
    assertEquals(expected, results(killedSearch), "search after an executor loss differs");
    for (String m : List.of("recall@1", "recall@5", "queries_with_answers")) {
      assertEquals(report(search).get("metrics").get(m), report(killedSearch).get("metrics")
          .get(m), m);
    }
    assertEquals(report(search).get("counts"), report(killedSearch).get("counts"),
        "counters double-counted a retried task");
  }

  /** Search-R1 rollouts on the cluster, an executor killed during a turn: the same rows. */
  @Test
  void rolloutOnTheClusterEqualsTheEmbeddedRunWhenAnExecutorIsKilledInATurn() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "retrieval", "--out", data.toString(), "--scale", "800")
        .status());
    Path index = tmp.resolve("index");
    assertEquals(0, cli("retrieval", "index", "--corpus", data.resolve("corpus").toString(),
        "--format", "jsonl", "--shards", "2", "--out", index.toString()).status());
    // 30 copies of each generated question, so a turn's search lasts long enough to be hit.
    Path questions = copies(data.resolve("qa"), 30);
    List<String> job = List.of("rollout", "eval", "--questions", questions.toString(),
        "--format", "jsonl", "--index", index.toString(), "--mode", "search-r1", "--out");
    Path cluster = tmp.resolve("cluster");
    CompletableFuture<Void> onCluster = submitKillingAsync(concat(job, cluster.toString()),
        "rollout", "rollout eval: turn ", "");
    Path embedded = tmp.resolve("embedded");
    Run run = cli(concat(job, embedded.toString()).toArray(String[]::new));
    assertEquals(0, run.status(), run.err());
    join(onCluster);
    assertEquals(rows(embedded.resolve("rollouts"), "id"), rows(cluster.resolve("rollouts"), "id"),
        "rollouts after an executor loss differ");
    assertEquals(report(embedded).get("metrics"), report(cluster).get("metrics"));
    assertEquals(report(embedded).get("counts"), report(cluster).get("counts"));
  }

  /**
   * The recsys graph on the cluster equals the embedded one; eval on the cluster with the
   * embedded-trained model gives the same metrics; score with an executor killed mid-scoring
   * gives the same recommendations and counters.
   */
  @Test
  void recsysOnTheClusterEqualsTheEmbeddedRunAlsoWhenScoringLosesAnExecutor() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "recsys", "--out", data.toString(), "--scale", "6000")
        .status());
    List<String> graphJob = List.of("recsys", "graph", "--interactions",
        data.resolve("interactions").toString(), "--items", data.resolve("items").toString(),
        "--train-windows", "4", "--out");
    // The graph on the cluster while the embedded pipeline runs.
    Path clusterGraph = tmp.resolve("cluster-graph");
    Process g = start(submitCommand(concat(graphJob, clusterGraph.toString())),
        work.resolve("graph.log"));
    Path graph = tmp.resolve("graph");
    assertEquals(0, cli(concat(graphJob, graph.toString()).toArray(String[]::new)).status());
    Path features = tmp.resolve("features");
    assertEquals(0, cli("recsys", "features", "--graph", graph.toString(), "--fanout", "8",
        "--out", features.toString()).status());
    Path model = tmp.resolve("model");
    Run train = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "8", "--dim", "16", "--epochs", "2", "--out",
        model.toString());
    assertEquals(0, train.status(), train.err());
    Script clusterGraphed = await(g, work.resolve("graph.log"), 480);
    assertEquals(0, clusterGraphed.status(), clusterGraphed.output());
    // Eval on the cluster (with the embedded graph and model) while eval and score run embedded.
    List<String> evalJob = List.of("recsys", "eval", "--graph", graph.toString(), "--model",
        model.toString(), "--als-rank", "8", "--als-iterations", "3", "--lightgcn-epochs", "2",
        "--lightgcn-dim", "8", "--out");
    Path clusterEval = tmp.resolve("cluster-eval");
    Process clusterEvaluating = start(submitCommand(concat(evalJob, clusterEval.toString())),
        work.resolve("eval.log"));
    Path eval = tmp.resolve("eval");
    Run evaluated = cli(concat(evalJob, eval.toString()).toArray(String[]::new));
    assertEquals(0, evaluated.status(), evaluated.err());
    List<String> scoreJob = List.of("recsys", "score", "--graph", graph.toString(), "--model",
        model.toString(), "--users", "all", "--k", "10", "--verify-sample", "3", "--out");
    Path score = tmp.resolve("score");
    Run scored = cli(concat(scoreJob, score.toString()).toArray(String[]::new));
    assertEquals(0, scored.status(), scored.err());

    for (String table : List.of("edges", "vertices", "labels")) {
      assertEquals(rows(graph.resolve(table), "*"), rows(clusterGraph.resolve(table), "*"), table);
    }
    assertEquals(report(graph).get("counts"), report(clusterGraph).get("counts"));
    Script e = await(clusterEvaluating, work.resolve("eval.log"), 480);
    assertEquals(0, e.status(), e.output());
    assertNumbersEqual(report(eval).get("metrics").get("methods"),
        report(clusterEval).get("metrics").get("methods"), 1e-9, "methods");

    Path clusterScore = tmp.resolve("cluster-score");
    submitKilling(concat(scoreJob, clusterScore.toString()), "score", "recsys score: score");
    List<Row> expected = spark.read().parquet(score.resolve("recommendations").toString())
        .orderBy("method", "user_id", "rank").collectAsList();
    List<Row> got = spark.read().parquet(clusterScore.resolve("recommendations").toString())
        .orderBy("method", "user_id", "rank").collectAsList();
    assertEquals(expected.size(), got.size());
    for (int i = 0; i < expected.size(); i++) {
      Row x = expected.get(i);
      Row y = got.get(i);
      assertEquals(x.<Object>getAs("item_id"), y.getAs("item_id"), x + " vs " + y);
      Object sx = x.getAs("score");
      Object sy = y.getAs("score");
      assertTrue(sx == null ? sy == null : Math.abs(((Number) sx).doubleValue()
          - ((Number) sy).doubleValue()) < 1e-5, x + " vs " + y);
    }
    JsonNode before = report(score).get("counts");
    JsonNode after = report(clusterScore).get("counts");
    for (String c : List.of("users", "users_without_history", "unknown_familiar_items",
        "items")) {
      assertEquals(before.get(c), after.get(c), c + " after an executor loss");
    }
    assertEquals(0, after.get("brute_force_mismatches").asLong());
  }

  /** avinfo stats on the cluster: every estimate, interval and null as in the embedded run. */
  @Test
  void avinfoStatsOnTheClusterEqualsTheEmbeddedRun() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "avinfo", "--out", data.toString(), "--scale", "60000")
        .status());
    List<String> job = List.of("avinfo", "stats", "--frames", data.resolve("frames").toString(),
        "--bootstrap", "20", "--out");
    Path cluster = tmp.resolve("cluster");
    Process onCluster = start(submitCommand(concat(job, cluster.toString())),
        work.resolve("avinfo.log"));
    Path embedded = tmp.resolve("embedded");
    Run run = cli(concat(job, embedded.toString()).toArray(String[]::new));
    assertEquals(0, run.status(), run.err());
    Script s = await(onCluster, work.resolve("avinfo.log"), 480);
    assertEquals(0, s.status(), s.output());
    assertNumbersEqual(report(embedded).get("metrics"), report(cluster).get("metrics"), 1e-12,
        "metrics");
    assertEquals(report(embedded).get("counts"), report(cluster).get("counts"));
  }

  /**
   * {@code submit/spark-sql} against the cluster: {@code parallax_search} runs in the executor
   * JVMs (shards opened there) and prints {@code retrieval search}'s rows.
   */
  @Test
  void sparkSqlSearchesInTheExecutorsAsRetrievalSearch() throws Exception {
    Path file = tmp.resolve("search.sql");
    Files.writeString(file, SparkSqlLauncherTest.searchSql(TinyIndex.index(), TinyIndex.qa()));
    String expected = SparkSqlLauncherTest.expectedLines();
    SparkSqlLauncherTest.Script s = SparkSqlLauncherTest.sparkSql(List.of("--master", master(),
        "-f", file.toString()));
    assertEquals(0, s.status(), s.err());
    assertEquals(expected, s.out());
  }

  /** Every number in {@code expected} equals {@code got}'s within {@code tolerance}. */
  private static void assertNumbersEqual(JsonNode expected, JsonNode got, double tolerance,
      String at) {
    if (expected.isNumber()) {
      assertTrue(got != null && got.isNumber(), at + ": " + got);
      assertEquals(expected.asDouble(), got.asDouble(), tolerance * Math.max(1,
          Math.abs(expected.asDouble())), at);
    } else if (expected.isContainerNode()) {
      assertEquals(expected.size(), got.size(), at + " size");
      if (expected.isArray()) {
        for (int i = 0; i < expected.size(); i++) {
          assertNumbersEqual(expected.get(i), got.get(i), tolerance, at + "[" + i + "]");
        }
      } else {
        expected.fieldNames().forEachRemaining(f -> assertNumbersEqual(expected.get(f),
            got.get(f), tolerance, at + "." + f));
      }
    } else {
      assertEquals(expected, got, at);
    }
  }


  /**
   * Submits {@code job} and, once a Spark job described {@code stage} has a running task, kills
   * the executor JVM running it with SIGKILL; the job must still succeed, and the driver must
   * have lost that task (the kill landed inside the stage, not around it).
   */
  private static void submitKilling(List<String> job, String name, String stage)
      throws Exception {
    submitKilling(job, name, stage, "");
  }

  /**
   * {@link #submitKilling} in a thread of its own, so that the test computes the embedded run
   * meanwhile; {@link #join} gives its outcome.
   */
  private static CompletableFuture<Void> submitKillingAsync(List<String> job, String name,
      String stage, String stagePrefix) throws Exception {
    master();
    return CompletableFuture.runAsync(() -> {
      try {
        submitKilling(job, name, stage, stagePrefix);
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
  }

  /** Waits for {@code run}; an assertion or exception in it is thrown here as it was. */
  private static void join(CompletableFuture<Void> run) throws Exception {
    try {
      run.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause()
          : e.getCause();
      if (cause instanceof Exception x) {
        throw x;
      }
      if (cause instanceof Error x) {
        throw x;
      }
      throw e;
    }
  }

  /** As above, the task being one of a stage of that job whose name starts with a prefix. */
  private static void submitKilling(List<String> job, String name, String stage,
      String stagePrefix) throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of("submit/spark-submit", "--master", master(),
        "--conf", "spark.ui.enabled=true", "--conf", "spark.ui.port=" + port));
    cmd.addAll(job);
    Path log = work.resolve(name + ".log");
    Process p = start(cmd, log);
    long victim = killDuring(p, log, port, stage, stagePrefix);
    assertTrue(p.waitFor(8, TimeUnit.MINUTES), name + " did not finish after the kill");
    String output = Files.readString(log);
    assertEquals(0, p.exitValue(), output);
    assertTrue(sparkLog(log).contains("Lost task"), "no task was lost to the kill: " + output);
    CONSOLE.println("[cluster] " + name + ": killed executor JVM " + victim + " during '"
        + stage + "'; the job completed");
  }

  /**
   * Kills, with SIGKILL, the executor JVM of a running task of a Spark job whose description
   * starts with {@code description} (in a stage whose name starts with {@code stagePrefix}; parallax
   * describes each timed stage's jobs as {@code "<job>: <stage>"}), polling the driver's REST
   * API. As soon as that job runs, every executor is frozen (SIGSTOP) so that no task can finish
   * between looking and killing; the victim runs the most recently launched of the job's running
   * tasks; the others are then thawed (SIGCONT). The REST API lags the scheduler: a task it lists
   * as running may already have reported its result, and then the kill loses no task. So the kill
   * is repeated, up to {@link #KILL_ATTEMPTS} times, until the driver log shows a lost task.
   */
  private static long killDuring(Process job, Path log, int port, String description,
      String stagePrefix) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
    String api = "http://127.0.0.1:" + port + "/api/v1/applications";
    java.util.Set<String> seen = new java.util.TreeSet<>();
    IOException last = null;
    String app = null;
    long victim = -1;
    int attempts = 0;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline && job.isAlive()) {
      try {
        if (app == null) {
          JsonNode apps = get(http, api);
          app = apps.size() == 0 ? null : api + "/" + apps.get(0).get("id").asText();
          continue;
        }
        for (JsonNode j : get(http, app + "/jobs?status=running")) {
          String d = j.path("description").asText("");
          seen.add(d);
          if (!d.startsWith(description)) {
            continue;
          }
          List<Long> all = executors();
          int lostBefore = occurrences(log, "Lost executor");
          Long pid = null;
          signal(all, "STOP");
          try {
            pid = newestRunningTask(http, app, j, stagePrefix);
            if (pid != null) {
              ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
          } finally {
            signal(all, "CONT");
          }
          if (pid != null) {
            victim = pid;
            attempts++;
            if (lostTask(job, log, lostBefore) || attempts >= KILL_ATTEMPTS) {
              return victim;
            }
            CONSOLE.println("[cluster] the kill of executor JVM " + pid + " lost no task; "
                + "killing again");
            break;
          }
        }
      } catch (IOException notYet) {
        // The driver's UI is not up yet, or the application ended.
        last = notYet;
      }
      Thread.sleep(20);
    }
    if (victim >= 0) {
      return victim;
    }
    throw new AssertionError("no running task of a job described '" + description
        + "' to kill; running jobs seen: " + seen + "; last error: " + last + "\n"
        + Files.readString(log));
  }

  /** How many times {@link #killDuring} kills an executor to lose a task before giving up. */
  private static final int KILL_ATTEMPTS = 4;

  /**
   * The pid of the executor JVM running the most recently launched running task of the Spark
   * job {@code sparkJob} (in a stage whose name starts with {@code stagePrefix}), or null.
   */
  private static Long newestRunningTask(java.net.http.HttpClient http, String app,
      JsonNode sparkJob, String stagePrefix) throws Exception {
    String newest = null;
    String executorId = null;
    for (JsonNode st : get(http, app + "/stages?status=active")) {
      if (!contains(sparkJob.get("stageIds"), st.get("stageId").asInt())
          || !st.get("name").asText().startsWith(stagePrefix)) {
        continue;
      }
      for (JsonNode task : get(http, app + "/stages/" + st.get("stageId").asInt() + "/"
          + st.get("attemptId").asInt() + "/taskList?status=running&length=100")) {
        String launched = task.path("launchTime").asText("");
        if (newest == null || launched.compareTo(newest) > 0) {
          newest = launched;
          executorId = task.get("executorId").asText();
        }
      }
    }
    return executorId == null ? null : executor(executorId);
  }

  /**
   * Waits (at most 30 s, or until the job ends) for the driver to log one more lost executor
   * than {@code lostBefore}; true when its log then shows a lost task.
   */
  private static boolean lostTask(Process job, Path log, int lostBefore) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < until && job.isAlive()
        && occurrences(log, "Lost executor") <= lostBefore) {
      Thread.sleep(100);
    }
    Thread.sleep(500);
    return occurrences(log, "Lost task") > 0;
  }

  /** How often the run's console ({@code log}) and its driver's Spark log say {@code text}. */
  private static int occurrences(Path log, String text) throws IOException {
    String s = Files.readString(log) + sparkLog(log);
    int n = 0;
    for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + 1)) {
      n++;
    }
    return n;
  }

  private static boolean contains(JsonNode ids, int id) {
    for (JsonNode i : ids) {
      if (i.asInt() == id) {
        return true;
      }
    }
    return false;
  }

  /** Sends {@code signal} (STOP, CONT) to the processes {@code pids}. */
  private static void signal(List<Long> pids, String signal) throws Exception {
    if (pids.isEmpty()) {
      return;
    }
    List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> cmd.add(Long.toString(p)));
    new ProcessBuilder(cmd).start().waitFor(10, TimeUnit.SECONDS);
  }

  /** The pids of all executor JVMs of the cluster. */
  private static List<Long> executors() throws Exception {
    Process p = new ProcessBuilder("pgrep", "-f",
        CLUSTER + ".*CoarseGrainedExecutorBackend").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out.lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).toList();
  }

  private static JsonNode get(java.net.http.HttpClient http, String url) throws Exception {
    java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(url + ": HTTP " + r.statusCode());
    }
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  /** The pid of the executor JVM with Spark executor id {@code id}, or null. */
  private static Long executor(String id) throws Exception {
    Process p = new ProcessBuilder("pgrep", "-f",
        "CoarseGrainedExecutorBackend.* --executor-id " + id + " .*" + CLUSTER + "|" + CLUSTER
            + ".*CoarseGrainedExecutorBackend.* --executor-id " + id + " ").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out.lines().filter(l -> !l.isBlank()).map(l -> Long.parseLong(l.trim())).findFirst()
        .orElse(null);
  }

  private List<String> rows(Path table, String order) {
    List<String> rows = new ArrayList<>();
    Dataset<Row> d = spark.read().parquet(table.toString());
    String[] cols = order.equals("*") ? d.columns() : new String[] {order};
    for (Row r : d.orderBy(cols[0], java.util.Arrays.copyOfRange(cols, 1, cols.length))
        .collectAsList()) {
      rows.add(r.toString());
    }
    return rows;
  }

  /** {@code n} copies of each question in {@code qa} (JSON lines), ids suffixed with the copy. */
  private Path copies(Path qa, int n) {
    Path out = tmp.resolve(qa.getFileName() + "-x" + n);
    spark.read().json(qa.toString())
        .withColumn("copy", org.apache.spark.sql.functions.explode(
            org.apache.spark.sql.functions.sequence(org.apache.spark.sql.functions.lit(1),
                org.apache.spark.sql.functions.lit(n))))
        .withColumn("id", org.apache.spark.sql.functions.concat_ws("-",
            org.apache.spark.sql.functions.col("id"), org.apache.spark.sql.functions.col("copy")))
        .drop("copy").write().json(out.toString());
    return out;
  }

  private static List<String> concat(List<String> a, String b) {
    List<String> all = new ArrayList<>(a);
    all.add(b);
    return all;
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

  private static List<String> submitCommand(List<String> job) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("submit/spark-submit", "--master", master()));
    cmd.addAll(job);
    return cmd;
  }

  private static Process start(List<String> cmd, Path log) throws IOException {
    List<String> bash = new ArrayList<>(List.of("bash"));
    bash.addAll(cmd);
    ProcessBuilder pb = new ProcessBuilder(bash).directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // No Spark installation on a CI machine: the wrapper runs Spark from the assembled home.
    pb.environment().remove("SPARK_SUBMIT");
    pb.environment().put("PARALLAX_DRIVER_MEMORY", "1g");
    // Every JVM of the cluster (master, workers, the executors they launch, the driver) lives
    // for a job of seconds on few cores, where C2's compiling and G1's concurrent threads cost
    // more than they give back (a cluster recsys graph: 88-101 s as is, 40-43 s with C1 only).
    // Results do not depend on the JIT or the collector.
    // The driver's Spark log (warnings such as a lost task never reach the console) goes to a
    // folder of this run's own, read by sparkLog.
    pb.environment().put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
        + " -Dparallax.log.dir=" + log + ".d");
    return pb.start();
  }

  /** The driver's Spark log of the run whose console went to {@code log}. */
  private static String sparkLog(Path log) throws IOException {
    Path file = Path.of(log + ".d", "parallax-logs", "parallax.log");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private static Script script(List<String> cmd, Path log, int seconds) throws Exception {
    return await(start(cmd, log), log, seconds);
  }

  /** Waits at most {@code seconds} for {@code p}, whose output goes to {@code log}. */
  private static Script await(Process p, Path log, int seconds) throws Exception {
    boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    return new Script(done ? p.exitValue() : -1, Files.readString(log));
  }
}
