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
import java.util.PriorityQueue;
import org.parallax.retrieval.Hit;

/**
 * One dense shard opened for exact inner-product search (FAISS {@code IndexFlatIP} semantics):
 * the embeddings are memory-mapped (off-heap, shared with the page cache) and the ids held in
 * memory. {@link #search} scores a batch of queries against every row by a blocked matrix
 * product ({@value #BLOCK} rows at a time copied to a scratch block, each multiplied with every
 * query of the batch) and keeps each query's top k in the order of {@link Hit#ORDER} (higher
 * score first, then smaller id), so per-shard lists merge into the exact global top k.
 * Thread-safe; {@link #close()} releases the file.
 */
public final class DenseShard implements Closeable {
  public static final String VECTORS = "vectors.f32";
  public static final String IDS = "ids.bin";
  static final int BLOCK = 512;
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
   * The top {@code k} rows of this shard for each query (unit vectors of the shard's dimension),
   * as hits without contents, best first.
   */
  public List<List<Hit>> search(float[][] queries, int k) {
    if (k <= 0) {
      return java.util.Collections.nCopies(queries.length, List.of());
    }
    List<PriorityQueue<Hit>> heaps = new ArrayList<>(queries.length);
    for (int q = 0; q < queries.length; q++) {
      heaps.add(new PriorityQueue<>(Math.max(1, k), Hit.ORDER.reversed()));
    }
    float[] block = new float[BLOCK * dimension];
    for (int start = 0; start < ids.length; start += BLOCK) {
      int rows = Math.min(BLOCK, ids.length - start);
      copyRows(start, rows, block);
      for (int q = 0; q < queries.length; q++) {
        PriorityQueue<Hit> heap = heaps.get(q);
        for (int r = 0; r < rows; r++) {
          float s = DenseMath.dot(queries[q], block, r * dimension, dimension);
          if (heap.size() < k) {
            heap.add(new Hit(ids[start + r], s, null));
          } else if (s >= heap.peek().score()) {
            Hit h = new Hit(ids[start + r], s, null);
            if (Hit.ORDER.compare(h, heap.peek()) < 0) {
              heap.poll();
              heap.add(h);
            }
          }
        }
      }
    }
    List<List<Hit>> out = new ArrayList<>(heaps.size());
    for (PriorityQueue<Hit> heap : heaps) {
      List<Hit> top = new ArrayList<>(heap);
      top.sort(Hit.ORDER);
      out.add(top);
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
