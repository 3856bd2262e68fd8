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
 * <em>content identity</em> (a {@link DirectoryChecksum}), never by its path: a directory rebuilt
 * at the same path is a new entry, so a long-lived JVM never uses the old content. Directories on
 * the local file system are used in place (and verified when an identity is given). Others are
 * copied into the local directory (an executor's scratch space) and verified before they are
 * published by an atomic rename under a name holding the checksum: against the identity the
 * caller took from its manifest, or, without one, against the checksum of the fresh copy itself,
 * so a copy is never reused unverified. Several executors of one host may copy the same
 * directory at once: each publishes a complete copy or finds one already published. The copies
 * of a root stay within {@link #MAX_BYTES} ({@link CopyBudget}): the least recently used copies
 * that no running JVM holds are deleted.
 */
public final class LocalCopies {
  /** Hadoop configuration key: bytes the local copies of one root may take (default 20 GiB). */
  public static final String MAX_BYTES = "parallax.local-copies.max-bytes";
  static final long DEFAULT_MAX_BYTES = 20L << 30;
  private static final Map<String, Path> LOCAL = new ConcurrentHashMap<>();
  /** The copy this JVM last used for each source, so a rebuilt one releases its old copy. */
  private static final Map<String, Path> LAST = new ConcurrentHashMap<>();

  private LocalCopies() {}

  /**
   * A local directory with the content of {@code uri}, verified against the checksum of a fresh
   * copy (no identity is known): a remote directory is copied on every call.
   */
  public static Path localize(String uri, Configuration conf, String localRoot) {
    return localize(uri, null, conf, localRoot);
  }

  /**
   * A local directory with the content of {@code uri}, verified to have checksum
   * {@code identity} (once per JVM and identity); null {@code identity} verifies a fresh copy.
   */
  public static Path localize(String uri, String identity, Configuration conf, String localRoot) {
    Path copy = identity == null ? copy(uri, null, conf, localRoot)
        : LOCAL.computeIfAbsent(uri + "#" + identity, k -> copy(uri, identity, conf, localRoot));
    Path previous = LAST.put(uri, copy);
    if (previous != null && !previous.equals(copy)) {
      // The source was rebuilt: this JVM no longer holds its old copy, which may be evicted.
      LOCAL.values().remove(previous);
      CopyBudget.release(previous);
    }
    return copy;
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
      CopyBudget budget = new CopyBudget(root, conf.getLong(MAX_BYTES, DEFAULT_MAX_BYTES));
      Path target = identity == null ? null : published(root, uri, identity, src.getName());
      // Held before use; an evictor that deleted it first makes this copy again.
      while (target == null || !budget.hold(target)) {
        Path tmp = root.resolve(".tmp-" + UUID.randomUUID());
        fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
        if (identity != null) {
          DirectoryChecksum.verify(tmp, identity, uri);
        } else {
          target = published(root, uri, DirectoryChecksum.of(tmp).checksum(), src.getName());
        }
        publish(tmp, target);
      }
      budget.evict();
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + uri + " to local disk", e);
    }
  }

  /** Where the copy of {@code uri} with checksum {@code identity} is published. */
  private static Path published(Path root, String uri, String identity, String name) {
    return root.resolve(identity.replace(':', '-') + "-" + Integer.toHexString(uri.hashCode())
        + "-" + name);
  }

  /** Renames a complete copy into place, or drops it when another copier was first. */
  private static void publish(Path tmp, Path target) throws IOException {
    if (Files.isDirectory(target)) {
      deleteTree(tmp);
      return;
    }
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

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
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
