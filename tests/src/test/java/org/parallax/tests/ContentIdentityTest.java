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
 * match its manifest fails the search with a message naming the shard and both checksums. The
 * same holds for the local copies of a remote index ({@code retrieval serve}) and model
 * ({@code recsys score}).
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

  /** The first letters of the ids `retrieval serve` finds for {@code fruit}, index copied. */
  private Set<String> servedIds(Path index, String fruit) throws IOException {
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    org.apache.hadoop.conf.Configuration conf = remote(new org.apache.hadoop.conf.Configuration());
    try (org.parallax.retrieval.ShardedIndex served = org.parallax.retrieval.RetrievalServer
        .open("remote://" + index, conf, scratch.toString())) {
      Set<String> prefixes = new TreeSet<>();
      served.search(fruit + " grow on trees", 5).forEach(h -> prefixes.add(
          h.docId().substring(0, 1)));
      return prefixes;
    }
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

  private Set<String> searchIds(Path index, String name) {
    Path out = tmp.resolve(name);
    Run run = cli("retrieval", "search", "--index", index.toString(), "--queries",
        tmp.resolve("q.jsonl").toString(), "--k", "5", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    Set<String> prefixes = new TreeSet<>();
    for (Row r : spark.read().parquet(out.resolve("results").toString()).collectAsList()) {
      prefixes.add(r.<String>getAs("doc_id").substring(0, 1));
    }
    return prefixes;
  }

  @Test
  void anIndexRebuiltAtTheSamePathIsSearchedAndServedAnew() throws Exception {
    queries();
    Path index = tmp.resolve("index");
    assertEquals(0, cli("retrieval", "index", "--corpus", corpus("a", "apples").toString(),
        "--shards", "2", "--out", index.toString()).status());
    assertEquals(Set.of("a"), searchIds(index, "s1"));
    assertEquals(Set.of("a"), servedIds(index, "apples"));
    assertEquals(0, cli("retrieval", "index", "--corpus", corpus("p", "pears").toString(),
        "--shards", "2", "--out", index.toString(), "--overwrite").status());
    assertEquals(Set.of("p"), searchIds(index, "s2"), "the rebuilt index was not searched");
    // What `retrieval serve` opens in this long-lived JVM: a copy, keyed by content.
    assertEquals(Set.of("p"), servedIds(index, "pears"), "the old copy was served");
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
