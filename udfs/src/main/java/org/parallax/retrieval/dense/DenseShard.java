package org.parallax.retrieval.dense;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.parallax.retrieval.Hit;

/**
 * One dense shard opened for exact inner-product search (FAISS {@code IndexFlatIP} semantics):
 * the embeddings are memory-mapped (off-heap, shared with the page cache) and the ids held in
 * memory. {@link #search} scores a batch of queries against every row by a blocked matrix
 * product ({@value #BLOCK} rows at a time copied to a scratch block and multiplied with every
 * query of the batch by {@link BlockProducts}, scores bit-identical to {@link DenseMath#dot}) and
 * keeps each query's top k in the order of {@link Hit#ORDER} (higher score first, then smaller
 * id) in a {@link TopRows}, so per-shard lists merge into the exact global top k.
 * Thread-safe; {@link #close()} releases the file.
 */
public final class DenseShard implements Closeable {
  public static final String VECTORS = "vectors.f32";
  public static final String IDS = "ids.bin";
  static final int BLOCK = 256;
  private final int dimension;
  private final String[] ids;
  private final FileChannel channel;
  private final FloatBuffer[] segments;
  private final int rowsPerSegment;

  /** Opens the shard in {@code dir}, whose rows have {@code dimension} floats. */
  public DenseShard(Path dir, int dimension) {
    this.dimension = dimension;
    try {
      this.channel = FileChannel.open(dir.resolve(VECTORS), StandardOpenOption.READ);
      long bytes = channel.size();
      long rowBytes = (long) dimension * Float.BYTES;
      if (bytes % rowBytes != 0) {
        throw new IllegalStateException("dense shard " + dir + ": " + VECTORS + " has " + bytes
            + " bytes, not a whole number of " + dimension + "-float rows");
      }
      int rows = Math.toIntExact(bytes / rowBytes);
      this.ids = readIds(dir.resolve(IDS), rows);
      this.rowsPerSegment = (int) Math.max(1, (1L << 30) / rowBytes);
      int n = (rows + rowsPerSegment - 1) / rowsPerSegment;
      this.segments = new FloatBuffer[n];
      for (int s = 0; s < n; s++) {
        long start = s * (long) rowsPerSegment * rowBytes;
        long len = Math.min(bytes - start, rowsPerSegment * rowBytes);
        segments[s] = channel.map(FileChannel.MapMode.READ_ONLY, start, len)
            .order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open dense shard " + dir, e);
    }
  }

  private static String[] readIds(Path file, int rows) throws IOException {
    String[] out = new String[rows];
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
        Files.newInputStream(file), 1 << 16))) {
      for (int i = 0; i < rows; i++) {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        out[i] = new String(b, StandardCharsets.UTF_8);
      }
      if (in.read() != -1) {
        throw new IllegalStateException(file + " holds more ids than the " + rows + " vectors");
      }
    } catch (java.io.EOFException e) {
      throw new IllegalStateException(file + " holds fewer ids than the " + rows + " vectors", e);
    }
    return out;
  }

  /**
   * The product kernel of this JVM's searches, for reports: the JDK's Vector API when the JVM has
   * {@code jdk.incubator.vector} and C2, else plain loops (the same scores either way).
   */
  public static String kernel() {
    return BlockProducts.vectorApi() ? "Vector API (jdk.incubator.vector)" : "plain loops";
  }

  public int size() {
    return ids.length;
  }

  public int dimension() {
    return dimension;
  }

  public String id(int row) {
    return ids[row];
  }

  /** Copies row {@code row}'s embedding into a new array. */
  public float[] vector(int row) {
    float[] v = new float[dimension];
    copyRows(row, 1, v);
    return v;
  }

  private void copyRows(int from, int count, float[] into) {
    int done = 0;
    while (done < count) {
      int r = from + done;
      FloatBuffer seg = segments[r / rowsPerSegment];
      int inSeg = Math.min(count - done, rowsPerSegment - r % rowsPerSegment);
      seg.get((r % rowsPerSegment) * dimension, into, done * dimension, inSeg * dimension);
      done += inSeg;
    }
  }

  /**
   * The top {@code k} rows of this shard for each query (vectors of the shard's dimension), as
   * hits without contents, best first.
   */
  public List<List<Hit>> search(float[][] queries, int k) {
    if (k <= 0) {
      return java.util.Collections.nCopies(queries.length, List.of());
    }
    for (float[] q : queries) {
      if (q.length != dimension) {
        throw new IllegalArgumentException("query vector has " + q.length
            + " dimensions, the dense shard " + dimension);
      }
    }
    List<TopRows> tops = new ArrayList<>(queries.length);
    for (int q = 0; q < queries.length; q++) {
      tops.add(new TopRows(Math.min(k, Math.max(1, ids.length)), ids));
    }
    float[] block = new float[BLOCK * dimension];
    BlockProducts products = BlockProducts.create(dimension, BLOCK);
    float[][] scores = new float[BlockProducts.GROUP][BLOCK];
    for (int start = 0; start < ids.length; start += BLOCK) {
      int rows = Math.min(BLOCK, ids.length - start);
      copyRows(start, rows, block);
      products.load(block, rows);
      for (int q = 0; q < queries.length; q += BlockProducts.GROUP) {
        int count = Math.min(BlockProducts.GROUP, queries.length - q);
        products.group(queries, q, count, scores);
        for (int g = 0; g < count; g++) {
          offer(tops.get(q + g), start, rows, scores[g]);
        }
      }
    }
    List<List<Hit>> out = new ArrayList<>(tops.size());
    for (TopRows top : tops) {
      out.add(top.hits());
    }
    return out;
  }

  private static void offer(TopRows top, int start, int rows, float[] scores) {
    float floor = top.floor();
    if (floor > max(scores, rows)) {
      return;
    }
    for (int r = 0; r < rows; r++) {
      // NaN never passes (>=), as in the heap's own test; the floor only rises.
      if (scores[r] >= floor || floor == Float.NEGATIVE_INFINITY) {
        top.offer(start + r, scores[r]);
        floor = top.floor();
      }
    }
  }

  /** The largest of {@code scores[0..rows-1]}, NaN if any is (a loop C2 vectorises). */
  private static float max(float[] scores, int rows) {
    float m = Float.NEGATIVE_INFINITY;
    for (int r = 0; r < rows; r++) {
      m = Math.max(m, scores[r]);
    }
    return m;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
