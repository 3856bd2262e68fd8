package org.parallax.retrieval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.retrieval.dense.E5Encoder;

/**
 * The encoding step of {@code retrieval index --retrievers ...,e5}: a {@code mapPartitions} over
 * the corpus rows ({@code shard, id, contents, bad}) that adds each well-formed passage's e5
 * embedding ({@code vector}, little-endian float32 bytes; null for a malformed row). The encoder
 * is loaded once per executor JVM; rows are encoded {@value #CHUNK} at a time (sorted by length
 * into batches inside the encoder). Each task prints a progress line with its passages/s to the
 * executor's stderr every {@value #PROGRESS_SECONDS} seconds (checked after every model call)
 * and when it ends.
 */
final class PassageEncoding implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  static final int CHUNK = 256;
  static final int PROGRESS_SECONDS = 10;
  static final StructType SCHEMA = new StructType()
      .add("shard", DataTypes.IntegerType, false)
      .add("id", DataTypes.StringType, false)
      .add("contents", DataTypes.StringType, false)
      .add("bad", DataTypes.StringType, false)
      .add("vector", DataTypes.BinaryType, true);
  private final EncoderAccess access;

  PassageEncoding(EncoderAccess access) {
    this.access = access;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    E5Encoder encoder = access.open();
    int batch = access.batchSize(encoder);
    TaskContext task = TaskContext.get();
    String where = "[parallax retrieval index] encode partition "
        + (task == null ? 0 : task.partitionId()) + " (" + access.name() + ", "
        + encoder.device() + ", batch " + batch + ")";
    return new Iterator<>() {
      private final long t0 = System.nanoTime();
      private long lastPrint = t0;
      private long encoded;
      private Iterator<Row> current = java.util.Collections.emptyIterator();
      private boolean reported;

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && rows.hasNext()) {
          current = chunk().iterator();
        }
        if (!current.hasNext() && !reported) {
          reported = true;
          print("done");
        }
        return current.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }

      private List<Row> chunk() {
        List<Row> in = new ArrayList<>(CHUNK);
        List<String> texts = new ArrayList<>(CHUNK);
        while (in.size() < CHUNK && rows.hasNext()) {
          Row r = rows.next();
          in.add(r);
          if (r.getString(3).isEmpty()) {
            texts.add(r.getString(2));
          }
        }
        float[][] vectors = encoder.encode(texts, E5Encoder.PASSAGE, batch, this::advance);
        List<Row> out = new ArrayList<>(in.size());
        int v = 0;
        for (Row r : in) {
          byte[] bytes = r.getString(3).isEmpty() ? VectorBytes.of(vectors[v++]) : null;
          out.add(RowFactory.create(r.getInt(0), r.getString(1), r.getString(2), r.getString(3),
              bytes));
        }
        return out;
      }

      private void advance(int done) {
        encoded += done;
        long now = System.nanoTime();
        if (now - lastPrint > PROGRESS_SECONDS * 1_000_000_000L) {
          lastPrint = now;
          print("running");
        }
      }

      private void print(String state) {
        double s = Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
        System.err.printf("%s: %,d passages in %.1fs, %.1f passages/s (%s)%n", where, encoded, s,
            encoded / s, state);
      }
    };
  }
}
