package org.parallax.avinfo;

/**
 * Counts at (a, v, t) int cells by open addressing, no boxing per cell; crosses Spark's exchanges
 * as {@link #packed()} arrays. Only counts: {@link JointCounts} computes from them.
 */
final class CellCounts implements java.io.Serializable {
  private static final long serialVersionUID = 1L;
  private int[] keys;
  private long[] counts;
  private boolean[] used;
  /** 32 minus log2 of the capacity: a slot is the top bits of the Fibonacci hash. */
  private int shift;
  private int size;

  CellCounts() {
    keys = new int[3 * 16];
    counts = new long[16];
    used = new boolean[16];
    shift = 28;
  }

  private int slot(int a, int v, int t) {
    return ((a * 31 + v) * 31 + t) * 0x9E3779B9 >>> shift;
  }

  void add(int a, int v, int t, long c) {
    if (2 * (size + 1) > used.length) {
      grow();
    }
    int mask = used.length - 1;
    int i = slot(a, v, t);
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

  /** Empties the table and keeps its capacity: a table refilled with like cells does not grow. */
  void clear() {
    java.util.Arrays.fill(used, false);
    java.util.Arrays.fill(counts, 0);
    size = 0;
  }

  private void grow() {
    int[] k = keys;
    long[] c = counts;
    boolean[] u = used;
    keys = new int[k.length * 2];
    counts = new long[c.length * 2];
    used = new boolean[u.length * 2];
    shift--;
    size = 0;
    for (int i = 0; i < u.length; i++) {
      if (u[i]) {
        add(k[3 * i], k[3 * i + 1], k[3 * i + 2], c[i]);
      }
    }
  }

  /** The count of cell (a, v, t), 0 if absent. */
  long get(int a, int v, int t) {
    int i = find(a, v, t);
    return i < 0 ? 0 : counts[i];
  }

  /**
   * The slot of cell (a, v, t), -1 if absent: an index below {@link #capacity} that stays the
   * cell's until the table grows.
   */
  int find(int a, int v, int t) {
    int mask = used.length - 1;
    int i = slot(a, v, t);
    while (used[i]) {
      if (keys[3 * i] == a && keys[3 * i + 1] == v && keys[3 * i + 2] == t) {
        return i;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  /** Slots: every cell's is below this. */
  int capacity() {
    return used.length;
  }

  /** The count at slot {@code i}, 0 if unused; unit {@code u} (0 A, 1 V, 2 T) of its cell. */
  long countAt(int i) {
    return used[i] ? counts[i] : 0;
  }

  int unitAt(int i, int u) {
    return keys[3 * i + u];
  }

  /** Cells with a non-zero count. */
  int size() {
    int out = 0;
    for (int i = 0; i < used.length; i++) {
      out += used[i] && counts[i] != 0 ? 1 : 0;
    }
    return out;
  }

  /** Receives cells as ints, without boxing. */
  @FunctionalInterface
  interface IntCellConsumer {
    void accept(int a, int v, int t, long count);
  }

  /** Every cell with a non-zero count, as ints. */
  void forEachInt(IntCellConsumer out) {
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
}
