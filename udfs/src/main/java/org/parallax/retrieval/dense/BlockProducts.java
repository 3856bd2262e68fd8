package org.parallax.retrieval.dense;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * The inner products of queries with one block of rows, computed as a matrix product: the block
 * is held transposed (one array per dimension, rows past the loaded count zero up to a multiple
 * of {@value #PAD}), and a kernel multiplies it with up to {@value #GROUP} queries at a time.
 * Every kernel sums each score in the order of {@link DenseMath#dot}, one fused multiply-add per
 * dimension in dimension order, so all return the same bits. {@link #create} picks {@link VectorProducts} (the JDK's Vector API) when the
 * JVM has {@code jdk.incubator.vector} and compiles with C2, else {@link PlainProducts}. Not
 * thread-safe: one instance per search call.
 */
abstract class BlockProducts {
  /** Queries multiplied per call of {@link #group} at most. */
  static final int GROUP = 8;
  /** Loaded rows are padded with zeros to a multiple of this, the widest kernel strip. */
  static final int PAD = 32;
  private static final boolean VECTOR = vectorApiUsable();
  final int dimension;
  final int capacity;
  final float[][] columns;
  int rows;

  /** Scratch for blocks of up to {@code capacity} rows (a multiple of {@value #PAD}). */
  BlockProducts(int dimension, int capacity) {
    if (capacity % PAD != 0) {
      throw new IllegalArgumentException("block capacity " + capacity + " is not a multiple of "
          + PAD);
    }
    this.dimension = dimension;
    this.capacity = capacity;
    this.columns = new float[dimension][capacity];
  }

  /** The fastest kernel this JVM runs, for blocks of up to {@code capacity} rows. */
  static BlockProducts create(int dimension, int capacity) {
    return VECTOR ? new VectorProducts(dimension, capacity)
        : new PlainProducts(dimension, capacity);
  }

  /** Whether {@link #create} returns the Vector API kernel in this JVM. */
  static boolean vectorApi() {
    return VECTOR;
  }

  /** Loads {@code count} rows given row-major in {@code block} (from offset 0). */
  void load(float[] block, int count) {
    if (count > capacity) {
      throw new IllegalArgumentException(count + " rows, block capacity " + capacity);
    }
    rows = count;
    int padded = Math.min(capacity, (count + PAD - 1) / PAD * PAD);
    for (int i = 0; i < dimension; i++) {
      float[] column = columns[i];
      for (int r = 0, at = i; r < count; r++, at += dimension) {
        column[r] = block[at];
      }
      Arrays.fill(column, count, padded, 0f);
    }
  }

  /**
   * Writes the scores of queries {@code from} .. {@code from + count - 1} ({@code count} at most
   * {@value #GROUP}) against the loaded rows into {@code out[g][0..rows-1]}; each {@code out[g]}
   * has {@code capacity} entries, and those past the rows may be overwritten.
   */
  abstract void group(float[][] queries, int from, int count, float[][] out);

  /**
   * Whether the Vector API is there and worth it: with C1 alone ({@code -XX:TieredStopAtLevel}
   * below 4, as the test JVMs run) its vectors are objects and it is far slower than plain loops.
   */
  private static boolean vectorApiUsable() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(
        HotSpotDiagnosticMXBean.class);
    return vm == null || "false".equals(vm.getVMOption("TieredCompilation").getValue())
        || Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
  }
}
