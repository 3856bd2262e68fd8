package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several executors of one host copying the same directory at once (here: threads, each doing
 * what one executor JVM does) all get a complete, verified copy; a copy that does not match its
 * manifest's checksum is never published.
 */
class LocalCopiesTest {
  @TempDir Path tmp;

  /** The local disk seen as a remote file system, so that directories are copied, not used in place. */
  public static final class RemoteFs extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("remote:///");
    }

    @Override
    public String getScheme() {
      return "remote";
    }
  }

  private Configuration conf() {
    Configuration conf = new Configuration();
    conf.set("fs.remote.impl", RemoteFs.class.getName());
    conf.setBoolean("fs.remote.impl.disable.cache", true);
    return conf;
  }

  private Path shard() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("index/shard-00000"));
    for (int i = 0; i < 20; i++) {
      byte[] bytes = new byte[200_000 + i];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) (j * 31 + i);
      }
      Files.write(dir.resolve("_0." + i), bytes);
    }
    return dir;
  }

  @Test
  void concurrentCopiesOfOneHostAllGetTheCompleteVerifiedDirectory() throws Exception {
    Path shard = shard();
    String checksum = DirectoryChecksum.of(shard).checksum();
    String uri = "remote://" + shard;
    Path root = Files.createDirectories(tmp.resolve("scratch"));
    int copiers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(copiers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Path>> copies = new ArrayList<>();
    for (int i = 0; i < copiers; i++) {
      copies.add(pool.submit(() -> {
        start.await();
        return LocalCopies.copy(uri, checksum, conf(), root.toString());
      }));
    }
    start.countDown();
    Path first = copies.get(0).get();
    for (Future<Path> f : copies) {
      Path copy = f.get();
      assertEquals(first, copy, "every copier uses the one published copy");
      assertEquals(checksum, DirectoryChecksum.of(copy).checksum(), "a partial copy was used");
    }
    pool.shutdown();
    try (Stream<Path> s = Files.list(root.resolve("parallax-local"))) {
      List<String> names = s.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".lock")).toList();
      assertEquals(1, names.size(), "temporary copies were left: " + names);
    }
  }

  @Test
  void aCopyThatDoesNotMatchTheManifestIsNeverPublished() throws Exception {
    Path shard = shard();
    Path root = Files.createDirectories(tmp.resolve("scratch"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> LocalCopies.copy(
        "remote://" + shard, "crc32:00000000", conf(), root.toString()));
    assertTrue(e.getMessage().contains("crc32:00000000")
        && e.getMessage().contains(DirectoryChecksum.of(shard).checksum()), e.getMessage());
    try (Stream<Path> s = Files.list(root.resolve("parallax-local"))) {
      assertTrue(s.noneMatch(p -> !p.getFileName().toString().startsWith(".")),
          "a corrupt copy was published");
    }
  }

  /** Writes {@code version} of a 20-file directory at {@code dir}, replacing what was there. */
  private static void build(Path dir, int version) throws Exception {
    LocalCopies.deleteTree(dir);
    Files.createDirectories(dir);
    for (int i = 0; i < 5; i++) {
      byte[] bytes = new byte[50_000];
      java.util.Arrays.fill(bytes, (byte) (version * 7 + i));
      Files.write(dir.resolve("_0." + i), bytes);
    }
  }

  private static List<String> copies(Path root) throws Exception {
    try (Stream<Path> s = Files.list(root.resolve("parallax-local"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted()
          .toList();
    }
  }

  private static long bytes(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root.resolve("parallax-local"))) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString()
          .startsWith(".")).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  @Test
  void aDirectoryRebuiltAtTheSamePathIsCopiedAnewAndTheCopiesStayWithinTheirBudget()
      throws Exception {
    Path model = tmp.resolve("models/m");
    Path other = tmp.resolve("models/other");
    build(other, 99);
    Path root = Files.createDirectories(tmp.resolve("scratch"));
    Configuration conf = conf();
    // Room for three copies of 250 kB: the other source this JVM holds, and two more.
    conf.setLong(LocalCopies.MAX_BYTES, 800_000);
    Path held = LocalCopies.localize("remote://" + other, conf, root.toString());
    for (int version = 0; version < 10; version++) {
      build(model, version);
      String checksum = DirectoryChecksum.of(model).checksum();
      // Without an identity (a model without fingerprint) and with one (a manifest's checksum).
      Path unverified = LocalCopies.localize("remote://" + model, conf, root.toString());
      Path verified = LocalCopies.localize("remote://" + model, checksum, conf, root.toString());
      assertEquals(checksum, DirectoryChecksum.of(unverified).checksum(), "version " + version);
      assertEquals(checksum, DirectoryChecksum.of(verified).checksum(), "version " + version);
      assertTrue(bytes(root) <= 800_000, "over budget after rebuild " + version + ": "
          + copies(root));
      assertTrue(Files.isDirectory(held), "a copy this JVM holds was evicted");
    }
    assertTrue(copies(root).size() <= 3, copies(root).toString());
  }
}
