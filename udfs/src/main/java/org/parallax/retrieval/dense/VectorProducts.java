package org.parallax.retrieval.dense;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@link BlockProducts} kernel on the JDK's Vector API (module {@code jdk.incubator.vector};
 * only loaded when the JVM has it): a register-blocked matrix product that keeps eight queries'
 * sums over two vectors of rows in sixteen registers across all dimensions, so each row vector
 * loaded feeds eight fused multiply-adds and no sum goes through memory until it is complete.
 * Smaller groups go through the plain loops, which stream the rows of one query faster than a
 * vector chain per row strip.
 */
final class VectorProducts extends PlainProducts {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  VectorProducts(int dimension, int capacity) {
    super(dimension, capacity);
    if (PAD % (2 * LANES) != 0) {
      throw new IllegalStateException(LANES + "-float vectors do not tile " + PAD + "-row strips");
    }
  }

  @Override
  void group(float[][] queries, int from, int count, float[][] out) {
    if (count < GROUP) {
      super.group(queries, from, count, out);
      return;
    }
    for (int r = 0; r < rows; r += 2 * LANES) {
      eight(queries, from, r, out);
    }
  }

  /** Rows {@code r .. r + 2 * LANES - 1} against queries {@code from .. from + 7}. */
  private void eight(float[][] queries, int from, int r, float[][] out) {
    float[] q0 = queries[from];
    float[] q1 = queries[from + 1];
    float[] q2 = queries[from + 2];
    float[] q3 = queries[from + 3];
    float[] q4 = queries[from + 4];
    float[] q5 = queries[from + 5];
    float[] q6 = queries[from + 6];
    float[] q7 = queries[from + 7];
    FloatVector s0 = FloatVector.zero(SPECIES);
    FloatVector t0 = s0, s1 = s0, t1 = s0, s2 = s0, t2 = s0, s3 = s0, t3 = s0;
    FloatVector s4 = s0, t4 = s0, s5 = s0, t5 = s0, s6 = s0, t6 = s0, s7 = s0, t7 = s0;
    for (int i = 0; i < dimension; i++) {
      FloatVector x = FloatVector.fromArray(SPECIES, columns[i], r);
      FloatVector y = FloatVector.fromArray(SPECIES, columns[i], r + LANES);
      FloatVector b = FloatVector.broadcast(SPECIES, q0[i]);
      s0 = x.fma(b, s0);
      t0 = y.fma(b, t0);
      b = FloatVector.broadcast(SPECIES, q1[i]);
      s1 = x.fma(b, s1);
      t1 = y.fma(b, t1);
      b = FloatVector.broadcast(SPECIES, q2[i]);
      s2 = x.fma(b, s2);
      t2 = y.fma(b, t2);
      b = FloatVector.broadcast(SPECIES, q3[i]);
      s3 = x.fma(b, s3);
      t3 = y.fma(b, t3);
      b = FloatVector.broadcast(SPECIES, q4[i]);
      s4 = x.fma(b, s4);
      t4 = y.fma(b, t4);
      b = FloatVector.broadcast(SPECIES, q5[i]);
      s5 = x.fma(b, s5);
      t5 = y.fma(b, t5);
      b = FloatVector.broadcast(SPECIES, q6[i]);
      s6 = x.fma(b, s6);
      t6 = y.fma(b, t6);
      b = FloatVector.broadcast(SPECIES, q7[i]);
      s7 = x.fma(b, s7);
      t7 = y.fma(b, t7);
    }
    store(s0, t0, out[0], r);
    store(s1, t1, out[1], r);
    store(s2, t2, out[2], r);
    store(s3, t3, out[3], r);
    store(s4, t4, out[4], r);
    store(s5, t5, out[5], r);
    store(s6, t6, out[6], r);
    store(s7, t7, out[7], r);
  }

  private static void store(FloatVector s, FloatVector t, float[] out, int r) {
    s.intoArray(out, r);
    t.intoArray(out, r + LANES);
  }
}
