package org.parallax.rollout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.JobFailedException;

/**
 * Per-turn checkpoints of a rollout, beside its output ({@code <out>._checkpoints/}): the
 * trajectories after each completed turn and that turn's generations, each a Parquet directory
 * complete once Spark has written its {@code _SUCCESS}. A resumed job starts after the last
 * complete turn, provided the checkpoints were written with the same options; a finished job
 * removes them.
 */
final class Checkpoints {
  static final int START = -1;
  private static final String CONFIG = "config.json";
  private final SparkSession spark;
  private final FileSystem fs;
  private final Path root;

  Checkpoints(SparkSession spark, FileSystem fs, Path output) {
    this.spark = spark;
    this.fs = fs;
    this.root = new Path(output.getParent(), output.getName() + "._checkpoints");
  }

  /** Starts afresh: removes old checkpoints and records the options. */
  void reset(String config) {
    try {
      fs.delete(root, true);
      fs.mkdirs(root);
      try (OutputStream os = fs.create(new Path(root, CONFIG), true)) {
        os.write(config.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare checkpoints in " + root, e);
    }
  }

  /** The last complete turn ({@link #START} for the initial state), or null if none usable. */
  Integer latest(String config) {
    try {
      Path c = new Path(root, CONFIG);
      if (!fs.exists(c)) {
        return null;
      }
      try (InputStream in = fs.open(c)) {
        if (!new String(in.readAllBytes(), StandardCharsets.UTF_8).equals(config)) {
          throw new JobFailedException("checkpoints in " + root + " were written with other "
              + "options; run without --resume to start over");
        }
      }
      for (int t = 1000; t >= START; t--) {
        if (fs.exists(new Path(dir(t), "_SUCCESS"))) {
          return t;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoints in " + root, e);
    }
  }

  /** Writes the trajectories after turn {@code t} and reads them back (cutting the lineage). */
  Dataset<Row> trajectories(int t, Dataset<Row> df) {
    String p = dir(t).toString();
    df.write().mode("overwrite").parquet(p);
    return spark.read().parquet(p);
  }

  Dataset<Row> trajectories(int t) {
    return spark.read().parquet(dir(t).toString());
  }

  /** Writes a turn's generations and reads them back, so the policy runs once per turn. */
  Dataset<Row> generations(int t, Dataset<Row> df) {
    String p = new Path(root, String.format("generated-%02d", t)).toString();
    df.write().mode("overwrite").parquet(p);
    return spark.read().parquet(p);
  }

  void delete() {
    try {
      fs.delete(root, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove checkpoints " + root, e);
    }
  }

  private Path dir(int t) {
    return new Path(root, t == START ? "start" : String.format("turn-%02d", t));
  }
}
