package org.parallax.retrieval.dense;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the float32 rows of a user's embedding file lie: {@code rows} rows of {@code dimension}
 * little-endian floats from byte {@code offset}, row-major. Two formats are read from their
 * headers: a NumPy {@code .npy} file (format 1, 2 or 3; dtype {@code <f4}, C order, a 2-D shape),
 * and a FAISS flat index written by {@code faiss.write_index} ({@code IndexFlatIP}, fourcc
 * {@code IxFI}, or {@code IndexFlatL2}, {@code IxF2}: the raw vectors follow the header). Anything
 * else fails with a one-line message naming the file and what was expected.
 */
public record EmbeddingMatrix(long rows, int dimension, long offset)
    implements java.io.Serializable {
  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\((\\d+),\\s*(\\d+),?\\s*\\)");

  /** Bytes of one row. */
  public long rowBytes() {
    return (long) dimension * Float.BYTES;
  }

  /** The byte where row {@code row} starts. */
  public long rowOffset(long row) {
    return offset + row * rowBytes();
  }

  /**
   * Reads the header of {@code in} (the start of the file {@code name}, used in messages) and
   * checks that the file's {@code size} in bytes holds exactly the rows it announces.
   */
  public static EmbeddingMatrix read(InputStream in, String name, long size) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] magic = new byte[4];
    EmbeddingMatrix m;
    try {
      data.readFully(magic);
      String fourcc = new String(magic, StandardCharsets.ISO_8859_1);
      if (fourcc.equals("IxFI") || fourcc.equals("IxF2")) {
        m = faiss(data, name);
      } else if (magic[0] == NPY_MAGIC[0] && fourcc.substring(1).equals("NUM")) {
        m = npy(data, name);
      } else {
        throw new IllegalArgumentException(name + ": neither a .npy float32 matrix nor a FAISS "
            + "flat index (IndexFlatIP/IndexFlatL2 written by faiss.write_index)");
      }
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + ": the file ends inside its header");
    }
    long expected = m.rowOffset(m.rows());
    if (expected != size) {
      throw new IllegalArgumentException(name + ": the header announces " + m.rows() + " rows of "
          + m.dimension() + " floats (" + expected + " bytes), but the file has " + size
          + " bytes");
    }
    return m;
  }

  private static EmbeddingMatrix faiss(DataInputStream data, String name) throws IOException {
    ByteBuffer h = ByteBuffer.wrap(data.readNBytes(33)).order(ByteOrder.LITTLE_ENDIAN);
    if (h.remaining() < 33) {
      throw new EOFException();
    }
    int d = h.getInt();
    long ntotal = h.getLong();
    h.getLong(); // two dummies FAISS writes for compatibility
    h.getLong();
    h.get(); // is_trained
    int metric = h.getInt();
    long offset = 4 + 33;
    if (metric > 1) {
      data.readFully(new byte[4]); // metric_arg
      offset += 4;
    }
    ByteBuffer count = ByteBuffer.wrap(data.readNBytes(8)).order(ByteOrder.LITTLE_ENDIAN);
    if (count.remaining() < 8) {
      throw new EOFException();
    }
    long floats = count.getLong();
    if (d < 1 || ntotal < 0 || floats != ntotal * d) {
      throw new IllegalArgumentException(name + ": FAISS flat index header with dimension " + d
          + ", " + ntotal + " vectors and " + floats + " floats of codes is inconsistent");
    }
    return new EmbeddingMatrix(ntotal, d, offset + 8);
  }

  private static EmbeddingMatrix npy(DataInputStream data, String name) throws IOException {
    int rest = data.readUnsignedShort(); // 'PY'
    if (rest != (('P' << 8) | 'Y')) {
      throw new IllegalArgumentException(name + ": not a .npy file (bad magic)");
    }
    int major = data.readUnsignedByte();
    data.readUnsignedByte();
    byte[] lenBytes = new byte[major == 1 ? 2 : 4];
    data.readFully(lenBytes);
    ByteBuffer len = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLen = major == 1 ? Short.toUnsignedInt(len.getShort())
        : Integer.toUnsignedLong(len.getInt());
    byte[] header = new byte[Math.toIntExact(headerLen)];
    data.readFully(header);
    String dict = new String(header, major == 3 ? StandardCharsets.UTF_8
        : StandardCharsets.ISO_8859_1);
    if (!dict.matches("(?s).*'descr':\\s*'<f4'.*")) {
      throw new IllegalArgumentException(name + ": .npy dtype must be little-endian float32 "
          + "('<f4'); header " + dict.trim() + " (convert with arr.astype(numpy.float32))");
    }
    if (!dict.matches("(?s).*'fortran_order':\\s*False.*")) {
      throw new IllegalArgumentException(name + ": .npy matrix must be in C order "
          + "(numpy.ascontiguousarray), header " + dict.trim());
    }
    Matcher shape = SHAPE.matcher(dict);
    if (!shape.find()) {
      throw new IllegalArgumentException(name + ": .npy array must be 2-D (rows, dimension), "
          + "header " + dict.trim());
    }
    return new EmbeddingMatrix(Long.parseLong(shape.group(1)),
        Integer.parseInt(shape.group(2)), 6 + 2 + lenBytes.length + headerLen);
  }
}
