package org.parallax.retrieval.dense;

/**
 * The arithmetic of dense retrieval, in one place so that every search (blocked, brute force,
 * in the server or in a Spark task) sums in the same order and returns bit-identical scores.
 */
public final class DenseMath {
  private DenseMath() {}

  /** Inner product of {@code q} with the {@code dim} floats of {@code m} from {@code offset}. */
  public static float dot(float[] q, float[] m, int offset, int dim) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < dim; i += 4) {
      s0 += q[i] * m[offset + i];
      s1 += q[i + 1] * m[offset + i + 1];
      s2 += q[i + 2] * m[offset + i + 2];
      s3 += q[i + 3] * m[offset + i + 3];
    }
    for (; i < dim; i++) {
      s0 += q[i] * m[offset + i];
    }
    return (s0 + s1) + (s2 + s3);
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
