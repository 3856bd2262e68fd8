package org.parallax.avinfo;

/**
 * Counts at (a, v, t) int cells by open addressing: no boxed key or count per cell, so that a
 * task can hold one table per speaker of its partition. Crosses Spark's exchanges as
 * {@link #packed()} arrays, which every serializer carries.
 */
final class CellCounts {
  private int[] keys = new int[3 * 16];
  private long[] counts = new long[16];
  private boolean[] used = new boolean[16];
  private int size;

  void add(int a, int v, int t, long c) {
    if (2 * (size + 1) > used.length) {
      grow();
    }
    int mask = used.length - 1;
    int i = (((a * 31 + v) * 31 + t) * 0x9E3779B9 >>> 7) & mask;
    while (used[i] && !(keys[3 * i] == a && keys[3 * i + 1] == v && keys[3 * i + 2] == t)) {
      i = (i + 1) & mask;
    }
    if (!used[i]) {
      used[i] = true;
      keys[3 * i] = a;
      keys[3 * i + 1] = v;
      keys[3 * i + 2] = t;
      size++;
    }
    counts[i] += c;
  }

  private void grow() {
    int[] k = keys;
    long[] c = counts;
    boolean[] u = used;
    keys = new int[k.length * 2];
    counts = new long[c.length * 2];
    used = new boolean[u.length * 2];
    size = 0;
    for (int i = 0; i < u.length; i++) {
      if (u[i]) {
        add(k[3 * i], k[3 * i + 1], k[3 * i + 2], c[i]);
      }
    }
  }

  /** Every cell with a non-zero count. */
  void forEach(JointCounts.CellConsumer out) {
    for (int i = 0; i < used.length; i++) {
      if (used[i] && counts[i] != 0) {
        out.accept(keys[3 * i], keys[3 * i + 1], keys[3 * i + 2], counts[i]);
      }
    }
  }

  /** The cells with a non-zero count as {a, v, t, count} quadruples. */
  long[] packed() {
    long[] out = new long[4 * size];
    int k = 0;
    for (int i = 0; i < used.length; i++) {
      if (used[i] && counts[i] != 0) {
        out[k++] = keys[3 * i];
        out[k++] = keys[3 * i + 1];
        out[k++] = keys[3 * i + 2];
        out[k++] = counts[i];
      }
    }
    return java.util.Arrays.copyOf(out, k);
  }

  /** A table of {@link #packed()} quadruples (any number of them concatenated, summed). */
  static JointCounts joint(long[] packed) {
    JointCounts out = new JointCounts();
    for (int i = 0; i < packed.length; i += 4) {
      out.add((int) packed[i], (int) packed[i + 1], (int) packed[i + 2], packed[i + 3]);
    }
    return out;
  }
}
