package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Executors cache shards by content, not by path: an index rebuilt at the same path is searched
 * anew by a long-lived JVM (this test JVM runs the executors), and a shard whose files do not
 * match its manifest fails the search with a message naming the shard and both checksums. A
 * {@code retrieval serve} process started once answers from an index rebuilt at its path (its
 * own check, or {@code POST /reload}) with its copies of the remote shards within
 * {@code parallax.local-copies.max-bytes}; {@code recsys score} reads a remote model rebuilt at
 * the same path anew.
 */
class ContentIdentityTest extends SparkTestBase {

  /** The local disk seen as a remote file system, so that directories are copied to local disk. */
  public static final class RemoteFs extends org.apache.hadoop.fs.RawLocalFileSystem {
    @Override
    public java.net.URI getUri() {
      return java.net.URI.create("remote:///");
    }

    @Override
    public String getScheme() {
      return "remote";
    }
  }

  private static org.apache.hadoop.conf.Configuration remote(
      org.apache.hadoop.conf.Configuration conf) {
    conf.set("fs.remote.impl", RemoteFs.class.getName());
    conf.setBoolean("fs.remote.impl.disable.cache", true);
    return conf;
  }

  @Test
  void aRemoteModelRebuiltAtTheSamePathIsScoredAnew() throws Exception {
    remote(spark.sparkContext().hadoopConfiguration());
    Path train = tmp.resolve("train");
    Path model = Files.createDirectories(train.resolve("model"));
    for (int dim : new int[] {8, 16, 32}) {
      new org.parallax.recsys.ContextGnnConfig(10, dim, 4, 0, 1, 30.0).write(model);
      if (dim == 32) {
        Files.writeString(model.resolve(org.parallax.common.DirectoryChecksum.FINGERPRINT),
            org.parallax.common.DirectoryChecksum.of(model).checksum());
      }
      // What `recsys score` reads on the driver before scoring, in this long-lived JVM.
      assertEquals(dim, org.parallax.recsys.ContextGnnScoring.config(spark, "remote://" + train)
          .dim(), "the model's old copy was used");
    }
  }

  private Path corpus(String name, String fruit) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add(String.format("{\"id\": \"%s%02d\", \"contents\": \"\\\"%s %d\\\"\\n%s grow on "
          + "trees; this one is number %d\"}", name, i, fruit, i, fruit, i));
    }
    return Files.write(tmp.resolve(name + ".jsonl"), lines);
  }

  private Path queries() throws IOException {
    return Files.write(tmp.resolve("q.jsonl"), List.of(
        "{\"id\": \"q1\", \"question\": \"which apples grow on trees\", \"golden_answers\": [\"x\"]}",
        "{\"id\": \"q2\", \"question\": \"which pears grow on trees\", \"golden_answers\": [\"x\"]}"));
  }

  /** The id prefixes (up to the first '-') `retrieval search` finds in {@code index}. */
  private Set<String> searchIds(Path index, String name) {
    Path out = tmp.resolve(name);
    Run run = cli("retrieval", "search", "--index", index.toString(), "--queries",
        tmp.resolve("q.jsonl").toString(), "--k", "5", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    Set<String> prefixes = new TreeSet<>();
    for (Row r : spark.read().parquet(out.resolve("results").toString()).collectAsList()) {
      prefixes.add(r.<String>getAs("doc_id").split("-")[0]);
    }
    return prefixes;
  }

  private static String property(String name, String value) {
    return "<property><name>" + name + "</name><value>" + value + "</value></property>";
  }

  /**
   * {@code retrieval serve} in a JVM of its own, started once, reading {@code remote://} (a
   * cluster file system: shards are copied into {@code scratch}) as a user's core-site.xml
   * configures it, with {@code maxBytes} for its copies; returns the process and its port.
   */
  private Process serve(Path index, Path scratch, long maxBytes, int[] port) throws Exception {
    Path site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("core-site.xml"), "<configuration>"
        + property("fs.remote.impl", RemoteFs.class.getName())
        + property("fs.remote.impl.disable.cache", "true")
        + property(org.parallax.common.LocalCopies.MAX_BYTES, Long.toString(maxBytes))
        + "</configuration>");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
        "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", site
        + java.io.File.pathSeparator + System.getProperty("java.class.path"),
        "org.parallax.cli.ParallaxCli", "retrieval", "serve", "--index", "remote://" + index,
        "--port", "0", "--local-dir", scratch.toString(), "--reload-check-s", "0.5"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
        p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      seen.append(line).append('\n');
      Matcher m = Pattern.compile("listening on http://[^:]+:(\\d+) ").matcher(line);
      if (m.find()) {
        port[0] = Integer.parseInt(m.group(1));
        return p;
      }
    }
    throw new AssertionError("retrieval serve did not start: " + seen);
  }

  private static com.fasterxml.jackson.databind.JsonNode post(int port, String path, String body)
      throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
            + path)).POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
  }

  /** The id prefixes (up to the first '-') of the passages the server answers. */
  private static Set<String> answered(int port) throws Exception {
    Set<String> prefixes = new TreeSet<>();
    post(port, "/retrieve", "{\"queries\": [\"which fruit grows on trees\"], \"topk\": 5}")
        .get("result").get(0).forEach(p -> prefixes.add(p.get("id").asText().split("-")[0]));
    return prefixes;
  }

  private static long bytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** Builds version {@code version} at {@code index} with `retrieval index --overwrite`. */
  private void rebuild(Path index, int version) throws IOException {
    String name = "v" + version;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      lines.add(String.format("{\"id\": \"%s-%02d\", \"contents\": \"\\\"%s %d\\\"\\nfruit "
          + "grows on trees; version %d passage %d\"}", name, i, name, i, version, i));
    }
    Path corpus = Files.write(tmp.resolve(name + ".jsonl"), lines);
    Run run = cli("retrieval", "index", "--corpus", corpus.toString(), "--shards", "2",
        "--out", index.toString(), "--overwrite");
    assertEquals(0, run.status(), run.err());
  }

  /**
   * Publishes the files of an index built earlier at {@code index}, through the commit
   * `retrieval index --overwrite` ends with: a rebuild at a fraction of a job's cost.
   */
  private static void republish(Path built, Path index) throws IOException {
    org.parallax.common.StagedOutput out = org.parallax.common.StagedOutput.open(
        index.toString(), true, new org.apache.hadoop.conf.Configuration());
    try (Stream<Path> s = Files.walk(built)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        String rel = built.relativize(f).toString();
        if (!rel.equals("_SUCCESS") && !rel.endsWith(".crc")) {
          out.writeBytes(rel, Files.readAllBytes(f));
        }
      }
    }
    out.commit();
  }

  private static void snapshot(Path index, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(index)) {
      for (Path f : s.toList()) {
        Path dst = to.resolve(index.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(dst);
        } else {
          Files.copy(f, dst);
        }
      }
    }
  }

  @Test
  void aRebuiltIndexIsSearchedAnewAndARunningServerAnswersFromItWithinItsCopyBudget() throws Exception {
    queries();
    Path index = tmp.resolve("served");
    rebuild(index, 0);
    snapshot(index, tmp.resolve("built-0"));
    // Room for the copies of two and a half indexes: the served one and the next, not three.
    long budget = 5 * bytes(index.resolve("shards")) / 2;
    Path scratch = Files.createDirectories(tmp.resolve("serve-scratch"));
    int[] port = {0};
    Process server = serve(index, scratch, budget, port);
    try {
      assertEquals(Set.of("v0"), answered(port[0]));
      for (int version = 1; version <= 10; version++) {
        if (version <= 2) {
          rebuild(index, version);
          snapshot(index, tmp.resolve("built-" + version));
          assertEquals(Set.of("v" + version), searchIds(index, "s" + version),
              "`retrieval search` in this long-lived JVM searched the old index");
        } else {
          republish(tmp.resolve("built-" + version % 3), index);
        }
        Set<String> expected = Set.of("v" + version % 3);
        if (version == 1) {
          // Noticed by the server's own check (every 0.5 s).
          long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
          while (!answered(port[0]).equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(100);
          }
        } else {
          // What a DAG does right after the rebuild: POST /reload, then every answer is new.
          post(port[0], "/reload", "");
        }
        assertEquals(expected, answered(port[0]), "after rebuild " + version);
        long used = bytes(scratch.resolve("parallax-local"));
        assertTrue(used <= budget, "copies take " + used + " bytes, over the budget of "
            + budget + " after rebuild " + version);
      }
      assertTrue(server.isAlive());
    } finally {
      server.destroyForcibly();
      server.waitFor();
    }
  }

  @Test
  void aCorruptShardFailsNamingTheShardAndBothChecksums() throws Exception {
    queries();
    Path index = tmp.resolve("index-c");
    assertEquals(0, cli("retrieval", "index", "--corpus", corpus("c", "cherries").toString(),
        "--shards", "2", "--out", index.toString()).status());
    Path shard = index.resolve("shards/shard-00001");
    Path file;
    try (Stream<Path> s = Files.list(shard)) {
      file = s.filter(Files::isRegularFile).max(Comparator.comparingLong(p -> p.toFile().length()))
          .orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(file, bytes);
    Run run = cli("retrieval", "search", "--index", index.toString(), "--queries",
        tmp.resolve("q.jsonl").toString(), "--k", "5", "--out", tmp.resolve("s3").toString());
    BadInputMatrixTest.assertFailure(run, 1, "shard-00001", "is corrupt or was replaced");
    Matcher m = Pattern.compile("crc32:[0-9a-f]{8}").matcher(run.err());
    Set<String> sums = new TreeSet<>();
    while (m.find()) {
      sums.add(m.group());
    }
    assertEquals(2, sums.size(), "both checksums: " + run.err());
    assertTrue(json(index.resolve("manifest.json")).toString().contains(sums.iterator().next())
        || json(index.resolve("manifest.json")).toString().contains(
            sums.stream().skip(1).findFirst().orElseThrow()), "one is the manifest's");
  }
}
