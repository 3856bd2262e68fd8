package org.parallax.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Refuses an output directory that equals, contains or lies inside one of the job's inputs:
 * committing it would replace or corrupt the input (a Spark read of a directory with a foreign
 * subdirectory fails). Paths are compared after qualifying them on their Hadoop file system and,
 * on the local file system, after resolving symbolic links, so {@code /tmp/i}, {@code file:/tmp/i}
 * and a link to it are the same place. The check runs before any Spark work and holds with
 * {@code --overwrite} too.
 */
public final class OutputGuard {
  private OutputGuard() {}

  /**
   * @throws IllegalArgumentException naming both paths when {@code out} overlaps an input
   */
  public static void check(String out, List<String> inputs, Configuration conf) {
    URI o = resolve(out, conf);
    for (String in : inputs) {
      if (in == null || in.isBlank()) {
        continue;
      }
      URI i = resolve(withoutGlob(in), conf);
      String how = overlap(o, i);
      if (how != null) {
        throw new IllegalArgumentException(String.format(
            "--out %s %s the input %s; write the output somewhere else (refused even with "
                + "--overwrite, the input would be lost)", out, how, in));
      }
    }
  }

  /** How {@code out} overlaps {@code in}, or null when they are apart. */
  static String overlap(URI out, URI in) {
    if (!Objects.equals(out.getScheme(), in.getScheme())
        || !Objects.equals(out.getAuthority(), in.getAuthority())) {
      return null;
    }
    String o = slash(out.getPath());
    String i = slash(in.getPath());
    if (o.equals(i)) {
      return "is";
    }
    if (o.startsWith(i)) {
      return "lies inside";
    }
    if (i.startsWith(o)) {
      return "contains";
    }
    return null;
  }

  private static String slash(String p) {
    return p.endsWith("/") ? p : p + "/";
  }

  /** The part of a Spark input path before its first glob component. */
  static String withoutGlob(String path) {
    int glob = -1;
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int at = path.indexOf(c);
      if (at >= 0 && (glob < 0 || at < glob)) {
        glob = at;
      }
    }
    if (glob < 0) {
      return path;
    }
    int cut = path.lastIndexOf('/', glob);
    return cut <= 0 ? "/" : path.substring(0, cut);
  }

  private static URI resolve(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      URI q = fs.makeQualified(p).toUri();
      if (!"file".equals(q.getScheme())) {
        return q;
      }
      return realLocal(java.nio.file.Path.of(q.getPath())).toUri();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve " + path, e);
    }
  }

  /** The path with links resolved in its longest existing prefix; the rest is kept as given. */
  private static java.nio.file.Path realLocal(java.nio.file.Path p) throws IOException {
    java.nio.file.Path abs = p.toAbsolutePath().normalize();
    java.nio.file.Path existing = abs;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return abs;
    }
    return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
  }
}
