package org.parallax.recsys;

import java.util.Arrays;

/**
 * A training batch's inputs as plain Java arrays ({@link ContextGnnTrainer#hostBatch}): the
 * users' local subgraphs, their contexts, the softmax's candidates and where each label's logit
 * lies, everything {@link ContextGnnTrainer#prepare(HostBatch)} needs to make the batch's arrays
 * on the device. Building it calls no engine code, so a background thread can build the next
 * batches while the stepping thread runs the engine: the engine's parallel regions then all start
 * from one thread (a second calling thread brings a second team of intra-op threads to compete
 * for the same cores).
 *
 * <p>Its arrays may be longer than the batch needs: a host batch whose arrays were copied to the
 * device may be handed back to {@link ContextGnnTrainer#hostBatch} to be refilled, so that a
 * training pass does not allocate its largest arrays (a batch's dense candidate matrix and pair
 * features, each larger than a garbage-collector region) once per batch. Not thread-safe: one
 * thread fills it, then another reads it after a safe hand-over (a blocking queue).
 */
public final class HostBatch {
  int users;
  int fanout;
  /** Columns of {@link #dense}: the candidates, or all items for the full softmax. */
  int columns;
  /** Labels in the batch: the used length of the four per-label arrays. */
  int labels;
  long[] items = new long[0];
  float[] mask = new float[0];
  float[] features = new float[0];
  long[] contexts = new long[0];
  /** The softmax's candidate items; null for the full softmax (all items, in order). */
  long[] candidates;
  float[] dense = new float[0];
  float[] familiar = new float[0];
  long[] pairAt = new long[0];
  long[] towerAt = new long[0];
  long[] userOf = new long[0];

  HostBatch() {}

  /** The users (examples) of the batch. */
  public int size() {
    return users;
  }

  /** {@code a} when it holds {@code n} values, else a new array of {@code n}. */
  static long[] fit(long[] a, int n) {
    return a.length >= n ? a : new long[n];
  }

  /** {@code a} when it holds {@code n} values, else a new array of {@code n}. */
  static float[] fit(float[] a, int n) {
    return a.length >= n ? a : new float[n];
  }

  /** {@code a} zeroed over its first {@code n} values when it holds them, else a new array. */
  static float[] zeroed(float[] a, int n) {
    if (a.length < n) {
      return new float[n];
    }
    Arrays.fill(a, 0, n, 0f);
    return a;
  }
}
