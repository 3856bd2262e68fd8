package org.parallax.retrieval.dense;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one dense shard in a local directory: {@value DenseShard#VECTORS} (the embeddings,
 * little-endian float32, one row of {@code dimension} floats per passage, in the order added) and
 * {@value DenseShard#IDS} (the passage ids in the same order, each a big-endian int32 byte length
 * and its UTF-8 bytes). Passages are added in id order, as in the BM25 shard beside it. Not
 * thread-safe; {@link #close()} flushes and closes both files.
 */
public final class DenseShardWriter implements Closeable {
  private final int dimension;
  private final OutputStream vectors;
  private final DataOutputStream ids;
  private final ByteBuffer row;
  private long count;

  public DenseShardWriter(Path dir, int dimension) {
    this.dimension = dimension;
    try {
      Files.createDirectories(dir);
      this.vectors = new BufferedOutputStream(Files.newOutputStream(dir.resolve(
          DenseShard.VECTORS)), 1 << 16);
      this.ids = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(
          dir.resolve(DenseShard.IDS)), 1 << 16));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create dense shard in " + dir, e);
    }
    this.row = ByteBuffer.allocate(dimension * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Appends passage {@code id} with embedding {@code vector} (of the shard's dimension). */
  public void add(String id, float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException("embedding of " + id + " has " + vector.length
          + " dimensions, the shard " + dimension);
    }
    row.clear();
    row.asFloatBuffer().put(vector);
    byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
    try {
      vectors.write(row.array());
      ids.writeInt(utf8.length);
      ids.write(utf8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write dense shard", e);
    }
    count++;
  }

  public long count() {
    return count;
  }

  @Override
  public void close() {
    try (OutputStream v = vectors; OutputStream i = ids) {
      v.flush();
      i.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close dense shard", e);
    }
  }
}
