package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The training examples of one split written once as Parquet, in the order of a seeded hash of
 * (user, window) (a shuffle that does not depend on partitioning), and streamed back to the
 * driver epoch by epoch in the files' order: one partition's rows at a time ({@code
 * toLocalIterator}), through a small seeded shuffle buffer that differs per epoch. The driver never holds more than a file and the
 * buffer, whatever the number of examples.
 */
final class ExampleFiles {
  /** Examples per file: bounds what the driver holds of the stream at once. */
  static final int ROWS_PER_FILE = 20_000;
  /** Bytes of Parquet per partition streamed to the driver (Spark's default packs 128 MB). */
  static final long PARTITION_BYTES = 8L << 20;
  /** Examples in the per-epoch shuffle buffer. */
  static final int SHUFFLE_BUFFER = 4_096;
  private final SparkSession spark;
  private final String dir;
  private final long count;
  private final Catalogue catalogue;
  private final long seed;
  /**
   * The files as one Dataset, planned on the first pass and reused by every later one: a new
   * Parquet read would infer the schema again, in a Spark job of its own, every pass.
   */
  private Dataset<Row> files;

  private ExampleFiles(SparkSession spark, String dir, long count, Catalogue catalogue,
      long seed) {
    this.spark = spark;
    this.dir = dir;
    this.count = count;
    this.catalogue = catalogue;
    this.seed = seed;
  }

  /**
   * Writes {@code examples} ({@code user_id, window, familiar, label_items}) to {@code dir},
   * ordered by a hash of (seed, user, window), about {@link #ROWS_PER_FILE} rows per file.
   *
   * @param count the number of examples (an estimate is enough: it sizes the files)
   */
  static void write(SparkSession spark, Dataset<Row> examples, long count, String dir,
      Catalogue catalogue, long seed) {
    int files = (int) Math.max(1, Math.min(100_000, (count + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
    examples.select(col("familiar"), col("label_items"), col("user_id"), col("window"),
            xxhash64(lit(seed), col("user_id"), col("window")).as("order"))
        .repartitionByRange(files, col("order"), col("user_id"), col("window"))
        .sortWithinPartitions("order", "user_id", "window")
        .write().parquet(dir);
  }

  /** The examples written to {@code dir} ({@code count} of them). */
  static ExampleFiles open(SparkSession spark, String dir, long count, Catalogue catalogue,
      long seed) {
    return new ExampleFiles(spark, dir, count, catalogue, seed);
  }

  long count() {
    return count;
  }

  /**
   * The examples of one pass, in the files' order shuffled within a buffer seeded by {@code
   * epoch} (epoch 0: unshuffled); rows with no known label item are skipped and their
   * unknown items counted into {@code unknown}.
   */
  Iterator<TrainExample> stream(int epoch, long[] unknown) {
    if (count == 0) {
      return java.util.Collections.emptyIterator();
    }
    // The files' own order (each sorted by the hash): no sort, no shuffle per epoch. Partitions
    // of at most PARTITION_BYTES, fixed when the iterator is first planned: the driver holds one.
    String key = "spark.sql.files.maxPartitionBytes";
    String before = spark.conf().get(key, null);
    spark.conf().set(key, PARTITION_BYTES);
    Iterator<Row> rows;
    try {
      if (files == null) {
        files = spark.read().parquet(dir).select("familiar", "label_items", "user_id", "window");
      }
      rows = files.toLocalIterator();
    } finally {
      if (before == null) {
        spark.conf().unset(key);
      } else {
        spark.conf().set(key, before);
      }
    }
    Iterator<TrainExample> examples = new Iterator<>() {
      private TrainExample next = advance();

      private TrainExample advance() {
        while (rows.hasNext()) {
          Row r = rows.next();
          TrainExample e = TrainExample.of(r.isNullAt(0) ? null : r.getList(0), r.getList(1),
              r.getInt(3), catalogue, unknown);
          if (e != null) {
            return e;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public TrainExample next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        TrainExample e = next;
        next = advance();
        return e;
      }
    };
    return epoch == 0 ? examples : shuffled(examples, new Random(seed * 31 + epoch));
  }

  /** A buffer shuffle: each output is a random element of the next {@code SHUFFLE_BUFFER}. */
  private static Iterator<TrainExample> shuffled(Iterator<TrainExample> in, Random random) {
    List<TrainExample> buffer = new ArrayList<>(SHUFFLE_BUFFER);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        while (buffer.size() < SHUFFLE_BUFFER && in.hasNext()) {
          buffer.add(in.next());
        }
        return !buffer.isEmpty();
      }

      @Override
      public TrainExample next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int i = random.nextInt(buffer.size());
        TrainExample e = buffer.get(i);
        buffer.set(i, buffer.get(buffer.size() - 1));
        buffer.remove(buffer.size() - 1);
        return e;
      }
    };
  }

  /** Removes the files. */
  void delete() {
    Path p = new Path(dir);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the training examples in " + dir, e);
    }
  }
}
