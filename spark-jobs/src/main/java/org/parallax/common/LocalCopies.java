package org.parallax.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Makes a directory stored on any Hadoop file system (an index shard, which Lucene memory-maps; a
 * model, which DJL loads from local files) available as a local directory, keyed by its
 * <em>content identity</em> (a {@link DirectoryChecksum} the producing job wrote into its
 * manifest), not by its path: a directory rebuilt at the same path is a new entry, so a
 * long-lived executor never serves the old content. Directories on the local file system are
 * used in place; others are copied into the local directory (an executor's scratch space) under
 * a name that includes the identity. Each copy is verified against the identity before it is
 * published by an atomic rename, so several executors of one host may copy the same directory at
 * once: each publishes a complete copy or finds one already published, and none ever uses a
 * partial copy. A directory whose content does not match fails with both checksums.
 */
public final class LocalCopies {
  private static final Map<String, Path> LOCAL = new ConcurrentHashMap<>();

  private LocalCopies() {}

  /** A local directory with the content of {@code uri}, unverified (no identity known). */
  public static Path localize(String uri, Configuration conf, String localRoot) {
    return localize(uri, null, conf, localRoot);
  }

  /**
   * A local directory with the content of {@code uri}, verified to have checksum
   * {@code identity} (once per JVM and identity); null {@code identity} skips verification.
   */
  public static Path localize(String uri, String identity, Configuration conf, String localRoot) {
    return LOCAL.computeIfAbsent(uri + "#" + identity, k -> copy(uri, identity, conf, localRoot));
  }

  /** One copy, without the per-JVM map: what each executor of a host does on its own. */
  static Path copy(String uri, String identity, Configuration conf, String localRoot) {
    try {
      org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = src.getFileSystem(conf);
      if (fs.getUri().getScheme() == null || fs.getUri().getScheme().equals("file")) {
        Path local = Path.of(fs.makeQualified(src).toUri());
        if (identity != null) {
          DirectoryChecksum.verify(local, identity, uri);
        }
        return local;
      }
      Path root = Path.of(localRoot, "parallax-local");
      Files.createDirectories(root);
      String id = identity == null ? "unverified" : identity.replace(':', '-');
      Path target = root.resolve(Integer.toHexString(uri.hashCode()) + "-" + id + "-"
          + src.getName());
      if (!Files.isDirectory(target)) {
        Path tmp = root.resolve("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
        fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
        if (identity != null) {
          DirectoryChecksum.verify(tmp, identity, uri);
        }
        publish(tmp, target);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + uri + " to local disk", e);
    }
  }

  /** Renames a complete copy into place, or drops it when another copier was first. */
  private static void publish(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException raced) {
      // rename(2) onto a non-empty directory fails (ENOTEMPTY, reported as a plain
      // FileSystemException): another executor of this host published the same content first.
      deleteTree(tmp);
      if (!Files.isDirectory(target)) {
        throw raced;
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The scratch directory for local copies: Spark's local dirs, else java.io.tmpdir. */
  public static String defaultLocalRoot() {
    String dirs = System.getenv("SPARK_LOCAL_DIRS");
    if (dirs != null && !dirs.isBlank()) {
      return dirs.split(",")[0];
    }
    return System.getProperty("java.io.tmpdir");
  }
}
