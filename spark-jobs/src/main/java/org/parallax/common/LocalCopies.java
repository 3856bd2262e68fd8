package org.parallax.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * Makes a directory stored on any Hadoop file system (an index shard, which Lucene memory-maps; a
 * model, which DJL loads from local files) available as a local directory. Directories on the
 * local file system are used in place; others are copied once per JVM into the local directory
 * (an executor's scratch space) and reused.
 */
public final class LocalCopies {
  private static final Map<String, Path> LOCAL = new ConcurrentHashMap<>();

  private LocalCopies() {}

  public static Path localize(String uri, Configuration conf, String localRoot) {
    return LOCAL.computeIfAbsent(uri, u -> copy(u, conf, localRoot));
  }

  private static Path copy(String uri, Configuration conf, String localRoot) {
    try {
      org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = src.getFileSystem(conf);
      if (fs.getUri().getScheme() == null || fs.getUri().getScheme().equals("file")) {
        return Path.of(fs.makeQualified(src).toUri());
      }
      Path root = Path.of(localRoot, "parallax-local");
      Files.createDirectories(root);
      Path target = root.resolve(Integer.toHexString(uri.hashCode()) + "-" + src.getName());
      if (!Files.exists(target)) {
        Path tmp = root.resolve(target.getFileName() + ".tmp-" + UUID.randomUUID());
        fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(tmp.toUri()), true);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + uri + " to local disk", e);
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
