package org.parallax.retrieval.dense;

import java.util.Arrays;

/**
 * The inner products of queries with one block of rows, computed as a matrix product whose
 * inner loops the JIT turns into SIMD instructions: the block is held transposed (one array per
 * dimension) and each query keeps four lane accumulators per row, so every score is summed in
 * exactly the order of {@link DenseMath#dot} (lane {@code i % 4} for the first
 * {@code dimension & ~3} dimensions, lane 0 for the rest, then {@code (l0 + l1) + (l2 + l3)}) and
 * is bit-identical to it. Queries go {@value #GROUP} at a time, so each row value loaded is used
 * four times. Not thread-safe: one instance per search call.
 */
final class BlockProducts {
  /** Queries multiplied per pass over the block. */
  static final int GROUP = 4;
  private final int dimension;
  private final int capacity;
  private final float[][] columns;
  private final float[][] lanes;
  private int rows;

  /** Scratch for blocks of up to {@code capacity} rows of {@code dimension} floats. */
  BlockProducts(int dimension, int capacity) {
    this.dimension = dimension;
    this.capacity = capacity;
    this.columns = new float[dimension][capacity];
    this.lanes = new float[4 * GROUP][capacity];
  }

  /** Loads {@code count} rows given row-major in {@code block} (from offset 0). */
  void load(float[] block, int count) {
    if (count > capacity) {
      throw new IllegalArgumentException(count + " rows, block capacity " + capacity);
    }
    rows = count;
    for (int i = 0; i < dimension; i++) {
      float[] column = columns[i];
      for (int r = 0, at = i; r < count; r++, at += dimension) {
        column[r] = block[at];
      }
    }
  }

  int rows() {
    return rows;
  }

  /**
   * Writes the scores of queries {@code from} .. {@code from + GROUP - 1} against the loaded rows
   * into {@code out[0..GROUP-1][0..rows-1]}.
   */
  void group(float[][] queries, int from, float[][] out) {
    for (float[] lane : lanes) {
      Arrays.fill(lane, 0, rows, 0f);
    }
    float[] q0 = queries[from];
    float[] q1 = queries[from + 1];
    float[] q2 = queries[from + 2];
    float[] q3 = queries[from + 3];
    int full = dimension & ~3;
    for (int i = 0; i < dimension; i++) {
      int lane = i < full ? (i & 3) * GROUP : 0;
      accumulate(columns[i], q0[i], q1[i], q2[i], q3[i], lanes[lane], lanes[lane + 1],
          lanes[lane + 2], lanes[lane + 3]);
    }
    for (int g = 0; g < GROUP; g++) {
      combine(lanes[g], lanes[GROUP + g], lanes[2 * GROUP + g], lanes[3 * GROUP + g], out[g]);
    }
  }

  /** Writes the scores of {@code query} against the loaded rows into {@code out[0..rows-1]}. */
  void single(float[] query, float[] out) {
    for (int l = 0; l < 4; l++) {
      Arrays.fill(lanes[l], 0, rows, 0f);
    }
    int full = dimension & ~3;
    for (int i = 0; i < dimension; i++) {
      float[] acc = lanes[i < full ? i & 3 : 0];
      float[] column = columns[i];
      float a = query[i];
      for (int r = 0; r < rows; r++) {
        acc[r] += a * column[r];
      }
    }
    combine(lanes[0], lanes[1], lanes[2], lanes[3], out);
  }

  // One loop, every access at index r: the shape C2's superword pass vectorises.
  private void accumulate(float[] column, float a, float b, float c, float d, float[] acc0,
      float[] acc1, float[] acc2, float[] acc3) {
    for (int r = 0; r < rows; r++) {
      float x = column[r];
      acc0[r] += a * x;
      acc1[r] += b * x;
      acc2[r] += c * x;
      acc3[r] += d * x;
    }
  }

  private void combine(float[] l0, float[] l1, float[] l2, float[] l3, float[] out) {
    for (int r = 0; r < rows; r++) {
      out[r] = (l0[r] + l1[r]) + (l2[r] + l3[r]);
    }
  }
}
