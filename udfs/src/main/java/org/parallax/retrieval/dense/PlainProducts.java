package org.parallax.retrieval.dense;

import java.util.Arrays;

/**
 * The {@link BlockProducts} kernel in plain loops, for JVMs without the Vector API: four queries
 * and two dimensions per pass over the block's rows, accumulating in the output rows, then one
 * query per pass for the rest. Each loop touches every array at index {@code r} only, the shape
 * C2's superword pass turns into SIMD instructions; larger passes stop it from doing so.
 */
class PlainProducts extends BlockProducts {
  PlainProducts(int dimension, int capacity) {
    super(dimension, capacity);
  }

  @Override
  void group(float[][] queries, int from, int count, float[][] out) {
    for (int g = 0; g < count; g++) {
      Arrays.fill(out[g], 0, rows, 0f);
    }
    int g = 0;
    for (; g + 4 <= count; g += 4) {
      float[] q0 = queries[from + g];
      float[] q1 = queries[from + g + 1];
      float[] q2 = queries[from + g + 2];
      float[] q3 = queries[from + g + 3];
      int i = 0;
      for (; i + 2 <= dimension; i += 2) {
        pair(columns[i], columns[i + 1], q0[i], q1[i], q2[i], q3[i], q0[i + 1], q1[i + 1], q2[i + 1],
            q3[i + 1], out[g], out[g + 1], out[g + 2], out[g + 3]);
      }
      if (i < dimension) {
        last(columns[i], q0[i], q1[i], q2[i], q3[i], out[g], out[g + 1], out[g + 2],
            out[g + 3]);
      }
    }
    for (; g < count; g++) {
      one(queries[from + g], out[g]);
    }
  }

  /** Adds two consecutive dimensions (columns {@code x} and {@code y}) of four queries. */
  private void pair(float[] x, float[] y, float a0, float b0, float c0, float d0, float a1, float b1,
      float c1, float d1, float[] s0, float[] s1, float[] s2, float[] s3) {
    for (int r = 0; r < rows; r++) {
      float v = x[r];
      float w = y[r];
      s0[r] = Math.fma(a1, w, Math.fma(a0, v, s0[r]));
      s1[r] = Math.fma(b1, w, Math.fma(b0, v, s1[r]));
      s2[r] = Math.fma(c1, w, Math.fma(c0, v, s2[r]));
      s3[r] = Math.fma(d1, w, Math.fma(d0, v, s3[r]));
    }
  }

  /** Adds the last dimension of an odd count (column {@code x}) of four queries. */
  private void last(float[] x, float a, float b, float c, float d, float[] s0, float[] s1,
      float[] s2, float[] s3) {
    for (int r = 0; r < rows; r++) {
      float v = x[r];
      s0[r] = Math.fma(a, v, s0[r]);
      s1[r] = Math.fma(b, v, s1[r]);
      s2[r] = Math.fma(c, v, s2[r]);
      s3[r] = Math.fma(d, v, s3[r]);
    }
  }

  private void one(float[] q, float[] s) {
    for (int i = 0; i < dimension; i++) {
      float a = q[i];
      float[] x = columns[i];
      for (int r = 0; r < rows; r++) {
        s[r] = Math.fma(a, x[r], s[r]);
      }
    }
  }
}
