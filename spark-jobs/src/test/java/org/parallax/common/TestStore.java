package org.parallax.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A place the commit tests write to: the local file system, or {@link S3SimFileSystem} (objects
 * under a local directory); either way read back through Hadoop's API, as a reader would.
 */
record TestStore(String kind, String base, Configuration conf) {

  /** {@code kind} "local" or "s3sim", with everything under {@code tmp}. */
  static TestStore of(String kind, Path tmp) {
    Configuration conf = new Configuration();
    if (kind.equals("s3sim")) {
      S3SimFileSystem.configure(conf, tmp.resolve("s3sim-root"));
      return new TestStore(kind, "s3sim://bucket/t", conf);
    }
    return new TestStore(kind, tmp.resolve("t").toString(), conf);
  }

  String uri(String name) {
    return base + "/" + name;
  }

  FileSystem fs() {
    try {
      return new org.apache.hadoop.fs.Path(base).getFileSystem(conf);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  boolean exists(String name) {
    try {
      return fs().exists(new org.apache.hadoop.fs.Path(uri(name)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String read(String name) {
    try (InputStream in = fs().open(new org.apache.hadoop.fs.Path(uri(name)))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Names directly under the base (hidden siblings included), sorted. */
  List<String> names() {
    try {
      List<String> names = new ArrayList<>();
      org.apache.hadoop.fs.Path b = new org.apache.hadoop.fs.Path(base);
      if (!fs().exists(b)) {
        return names;
      }
      for (FileStatus st : fs().listStatus(b)) {
        names.add(st.getPath().getName());
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under {@code name} (relative path to content), for whole-output comparisons. */
  TreeMap<String, String> files(String name) {
    TreeMap<String, String> out = new TreeMap<>();
    try {
      org.apache.hadoop.fs.Path root = fs().makeQualified(new org.apache.hadoop.fs.Path(uri(name)));
      if (!fs().exists(root)) {
        return out;
      }
      RemoteIterator<LocatedFileStatus> it = fs().listFiles(root, true);
      while (it.hasNext()) {
        org.apache.hadoop.fs.Path p = it.next().getPath();
        String rel = p.toUri().getPath().substring(root.toUri().getPath().length() + 1);
        try (InputStream in = fs().open(p)) {
          out.put(rel, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
