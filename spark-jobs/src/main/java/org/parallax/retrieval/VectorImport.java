package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.JobFailedException;
import org.parallax.retrieval.dense.EmbeddingMatrix;
import scala.Tuple2;

/**
 * Embeddings a user computed elsewhere, attached to rows as a {@code vector} column
 * (little-endian float32 bytes, {@link VectorBytes}). A {@code .npy} float32 matrix or a FAISS
 * flat index file ({@link EmbeddingMatrix}) is aligned by position: row i of the matrix belongs
 * to the i-th row of the input, which must then be one file (Spark reads one file's splits in
 * order); each task reads only its rows' part of the matrix. Parquet with columns {@code id} and
 * {@code vector} (an array of floats) is joined on the id. Row counts, missing ids and dimensions
 * are checked on the driver, each failing with one line that names the file.
 */
final class VectorImport {
  private final SparkSession spark;
  private final String path;
  private final String option;

  /** @param option the option that named {@code path}, for messages */
  VectorImport(SparkSession spark, String path, String option) {
    this.spark = spark;
    this.path = path;
    this.option = option;
  }

  /** A Parquet file of (id, vector) rather than a matrix aligned by row. */
  boolean keyed() {
    return path.endsWith(".parquet") || isDirectory();
  }

  /**
   * {@code rows} with {@code vector} appended, taken from the file by position or by the string
   * column {@code idColumn}; {@code input} is the file the rows were read from (for the one-file
   * check and messages). Returns the rows and the dimension.
   */
  Attached attach(Dataset<Row> rows, String idColumn, String input) {
    return keyed() ? byId(rows, idColumn, input) : byPosition(rows, input);
  }

  /** Rows with their vectors, and the vectors' dimension. */
  record Attached(Dataset<Row> rows, int dimension) {}

  private Attached byPosition(Dataset<Row> rows, String input) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    checkOneFile(input, conf);
    EmbeddingMatrix m = header(conf);
    long count = rows.count();
    if (count != m.rows()) {
      throw new JobFailedException(option + " " + path + " has " + m.rows() + " rows but "
          + input + " has " + count + " (row i of the matrix belongs to the i-th row of the "
          + "input, in file order)");
    }
    SerializableConfiguration sc = new SerializableConfiguration(conf);
    String file = path;
    StructType schema = rows.schema().add("vector", DataTypes.BinaryType, false);
    JavaRDD<Row> out = rows.javaRDD().zipWithIndex().mapPartitions(it -> read(it, file, m, sc));
    return new Attached(spark.createDataFrame(out, schema), m.dimension());
  }

  /** The rows of one partition with their matrix rows, read lazily, in one pass. */
  private static Iterator<Row> read(Iterator<Tuple2<Row, Long>> it, String file,
      EmbeddingMatrix m, SerializableConfiguration conf) throws IOException {
    if (!it.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    Path p = new Path(file);
    FSDataInputStream in = p.getFileSystem(conf.value()).open(p);
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) t -> close(in));
    }
    return new Iterator<>() {
      private long expected = -1;

      @Override
      public boolean hasNext() {
        boolean more = it.hasNext();
        if (!more && task == null) {
          close(in);
        }
        return more;
      }

      @Override
      public Row next() {
        Tuple2<Row, Long> r = it.next();
        byte[] row = new byte[(int) m.rowBytes()];
        try {
          if (r._2() != expected) {
            in.seek(m.rowOffset(r._2()));
          }
          in.readFully(row);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read row " + r._2() + " of " + file, e);
        }
        expected = r._2() + 1;
        Object[] values = new Object[r._1().size() + 1];
        for (int i = 0; i < r._1().size(); i++) {
          values[i] = r._1().get(i);
        }
        values[values.length - 1] = row;
        return RowFactory.create(values);
      }
    };
  }

  private static void close(FSDataInputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // read-only input
    }
  }

  private Attached byId(Dataset<Row> rows, String idColumn, String input) {
    Dataset<Row> vectors;
    try {
      vectors = spark.read().parquet(path);
    } catch (RuntimeException e) {
      throw new JobFailedException(option + " " + path + ": cannot read Parquet id, vector ("
          + e.getMessage().lines().findFirst().orElse("") + ")");
    }
    List<String> columns = List.of(vectors.columns());
    if (!columns.contains("id") || !columns.contains("vector")) {
      throw new JobFailedException(option + " " + path + " needs columns id and vector (an "
          + "array of floats), has " + String.join(", ", columns));
    }
    vectors = vectors.select(col("id").cast("string").as("_vid"),
        col("vector").cast("array<float>").as("_v"));
    Row dims = vectors.agg(min(size(col("_v"))), max(size(col("_v")))).first();
    if (dims.isNullAt(0)) {
      throw new JobFailedException(option + " " + path + " has no rows");
    }
    int d = dims.getInt(0);
    if (d < 1 || d != dims.getInt(1)) {
      throw new JobFailedException(option + " " + path + ": every vector must have the same "
          + "dimension (at least 1), found " + d + " to " + dims.getInt(1));
    }
    Dataset<Row> joined = rows.join(vectors, rows.col(idColumn).equalTo(vectors.col("_vid")),
        "left");
    long missing = joined.filter(col("_v").isNull()).count();
    if (missing > 0) {
      String example = joined.filter(col("_v").isNull()).select(idColumn).first().get(0)
          + "";
      throw new JobFailedException(option + " " + path + " has no vector for " + missing
          + " row(s) of " + input + " (e.g. id " + example + ")");
    }
    StructType schema = rows.schema().add("vector", DataTypes.BinaryType, false);
    int width = rows.schema().size();
    JavaRDD<Row> out = joined.javaRDD().map(r -> {
      Object[] values = new Object[width + 1];
      for (int i = 0; i < width; i++) {
        values[i] = r.get(i);
      }
      List<Float> v = r.getList(width + 1);
      float[] f = new float[v.size()];
      for (int i = 0; i < f.length; i++) {
        f[i] = v.get(i);
      }
      values[width] = VectorBytes.of(f);
      return RowFactory.create(values);
    });
    return new Attached(spark.createDataFrame(out, schema), d);
  }

  private EmbeddingMatrix header(Configuration conf) {
    Path p = new Path(path);
    try {
      FileSystem fs = p.getFileSystem(conf);
      long len = fs.getFileStatus(p).getLen();
      try (FSDataInputStream in = fs.open(p)) {
        return EmbeddingMatrix.read(in, option + " " + path, len);
      }
    } catch (IllegalArgumentException e) {
      throw new JobFailedException(e.getMessage());
    } catch (IOException e) {
      throw new JobFailedException(option + " " + path + ": cannot read (" + e.getMessage()
          + ")");
    }
  }

  private boolean isDirectory() {
    Path p = new Path(path);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(p)
          .isDirectory();
    } catch (IOException e) {
      throw new JobFailedException(option + " " + path + ": cannot read (" + e.getMessage()
          + ")");
    }
  }

  private void checkOneFile(String input, Configuration conf) {
    Path p = new Path(input);
    try {
      FileStatus[] found = p.getFileSystem(conf).globStatus(p);
      int files = 0;
      for (FileStatus s : found == null ? new FileStatus[0] : found) {
        files += s.isDirectory() ? visibleFiles(s.getPath(), conf) : 1;
      }
      if (files != 1) {
        throw new JobFailedException(option + " " + path + " is aligned by row, which needs "
            + input + " to be one file, but it has " + files + "; give Parquet id, vector "
            + "instead");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int visibleFiles(Path dir, Configuration conf) throws IOException {
    int n = 0;
    for (FileStatus s : dir.getFileSystem(conf).listStatus(dir)) {
      String name = s.getPath().getName();
      n += s.isFile() && !name.startsWith("_") && !name.startsWith(".") ? 1 : 0;
    }
    return n;
  }
}
