package org.parallax.retrieval;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Rows a shard-build task sets aside, as JSON lines in {@code <dir>/part-<shard>.json} (the file
 * is created only when there is one), with a count per reason code. Owned and closed by one task.
 */
final class QuarantineSink implements Closeable {
  private final String dir;
  private final int shard;
  private final Configuration conf;
  private final Map<String, Long> reasons = new TreeMap<>();
  private OutputStream out;
  private long count;

  QuarantineSink(String dir, int shard, Configuration conf) {
    this.dir = dir;
    this.shard = shard;
    this.conf = conf;
  }

  /** Adds one row, given as a JSON object, counted under each of its comma-separated codes. */
  void add(String json, String codes) {
    try {
      if (out == null) {
        Path p = new Path(dir, String.format("part-%05d.json", shard));
        FileSystem fs = p.getFileSystem(conf);
        out = fs.create(p, true);
      }
      out.write(json.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
      count++;
      for (String c : codes.split(",")) {
        reasons.merge(c, 1L, Long::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write quarantined row to " + dir, e);
    }
  }

  long count() {
    return count;
  }

  Map<String, Long> reasons() {
    return reasons;
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
    }
  }
}
