package org.parallax.retrieval.dense;

/**
 * The arithmetic of dense retrieval, in one place so that every search (blocked, brute force,
 * in the server or in a Spark task) sums in the same order and returns bit-identical scores.
 */
public final class DenseMath {
  private DenseMath() {}

  /**
   * Inner product of {@code q} with the {@code dim} floats of {@code m} from {@code offset}: one
   * chain of fused multiply-adds in dimension order, {@code s = fma(q[i], m[offset + i], s)} from
   * {@code s = 0}, the order every kernel of {@link BlockProducts} keeps.
   */
  public static float dot(float[] q, float[] m, int offset, int dim) {
    float s = 0;
    for (int i = 0; i < dim; i++) {
      s = Math.fma(q[i], m[offset + i], s);
    }
    return s;
  }

  /** Scales {@code v} in place to unit L2 norm (a zero vector stays zero). */
  public static void normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
  }
}
