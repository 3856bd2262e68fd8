package org.parallax.avinfo;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A joint count table of three int units (A, V, T), and the one place where count tables become
 * entropies: the seven subset tables (A, V, T, AV, AT, VT, AVT) derived from it, their plug-in
 * {@code H = ln N - (1/N) sum c ln c} and Miller-Madow {@code H + (m - 1) / 2N} over m non-empty
 * cells (nats), the profiles of this table minus a contained part (the jackknife) and the frame
 * variances. Every sum is an {@link ExactSum}: the results depend on the cells only, not on the
 * order they were added in. Both counting paths and every resampling feed it counts. Not
 * thread-safe.
 */
public final class JointCounts implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The units kept by each of the seven tables (A, V, T, AV, AT, VT, AVT). */
  static final boolean[][] KEEPS = {{true, false, false}, {false, true, false},
    {false, false, true}, {true, true, false}, {true, false, true}, {false, true, true},
    {true, true, true}};

  private final CellCounts joint = new CellCounts();
  private long frames;
  /** The seven tables once derived, then kept current by {@link #add}. */
  private transient Tables tables;

  /** The table of {@code packed} {a, v, t, count} quadruples (any number, summed). */
  public static JointCounts of(long[] packed) {
    JointCounts out = new JointCounts();
    out.addPacked(packed);
    return out;
  }

  /** Adds {@code packed} {a, v, t, count} quadruples (any number) to this table. */
  public void addPacked(long[] packed) {
    for (int k = 0; k < packed.length; k += 4) {
      add((int) packed[k], (int) packed[k + 1], (int) packed[k + 2], packed[k + 3]);
    }
  }

  /** Adds {@code count} frames to cell (a, v, t). */
  public void add(int a, int v, int t, long count) {
    if (count != 0) {
      joint.add(a, v, t, count);
      frames += count;
      if (tables != null) {
        tables.add(a, v, t, count);
      }
    }
  }

  /** Empties the table and keeps its seven tables' capacity: refilled, they do not grow anew. */
  public void clear() {
    joint.clear();
    frames = 0;
    if (tables != null) {
      for (int i = 0; i < 6; i++) {
        tables.counts[i].clear();
      }
      tables.sums = null;
    }
  }

  /** Visits every non-empty cell. */
  public void forEach(CellCounts.IntCellConsumer out) {
    joint.forEachInt(out);
  }

  /** Frames counted. */
  public long frames() {
    return frames;
  }

  /** Distinct values of A, V and T seen (the observed vocabulary sizes). */
  public int[] vocabularies() {
    Tables s = tables(true);
    return new int[] {(int) s.cells[0], (int) s.cells[1], (int) s.cells[2]};
  }

  /** The plug-in ({@code [0]}) and Miller-Madow ({@code [1]}) profiles, in nats. */
  public EntropyProfile[] profiles() {
    Tables s = tables(true);
    double[] sums = new double[7];
    for (int i = 0; i < 7; i++) {
      sums[i] = s.sums[i].value();
    }
    return profiles(frames, sums, s.cells);
  }

  /** An empty part of this table to take the profiles without ({@link Without}). */
  public Without without() {
    return new Without();
  }

  /**
   * A part of the whole table, added cell by cell, and the profiles of the table without it: the
   * sums of c ln c change at the part's cells only, found by slot (no table of the part is built).
   * Emptied by {@link #profiles}, for the next part. The whole table must not change meanwhile.
   */
  public final class Without {
    private final Tables whole = tables(true);
    private final CellCounts joint = whole.counts[6];
    /** Per table, the slot of each joint slot's cell there. */
    private final int[][] slotIn = new int[7][joint.capacity()];
    /** Per table, the part's frames by slot, and the slots where they are not 0. */
    private final long[][] part = new long[7][];
    private final int[][] touched = new int[7][];
    private final int[] size = new int[7];
    private final ExactSum sum = new ExactSum();
    private long frames;

    private Without() {
      for (int i = 0; i < 7; i++) {
        CellCounts table = whole.counts[i];
        part[i] = new long[table.capacity()];
        touched[i] = new int[table.capacity()];
        boolean[] k = KEEPS[i];
        for (int s = 0; s < joint.capacity(); s++) {
          slotIn[i][s] = table.find(k[0] ? joint.unitAt(s, 0) : 0,
              k[1] ? joint.unitAt(s, 1) : 0, k[2] ? joint.unitAt(s, 2) : 0);
        }
      }
    }

    /** Adds {@code count} frames at (a, v, t) to the part. */
    public void add(int a, int v, int t, long count) {
      int s = joint.find(a, v, t);
      if (count != 0 && (s < 0 || joint.countAt(s) < part[6][s] + count)) {
        throw new IllegalArgumentException("the part left out is not contained in the whole "
            + "table: cell (" + a + ", " + v + ", " + t + ") has more frames than the table");
      }
      for (int i = 0; i < 7 && count != 0; i++) {
        int m = slotIn[i][s];
        if (part[i][m] == 0) {
          touched[i][size[i]++] = m;
        }
        part[i][m] += count;
      }
      frames += count;
    }

    /** The profiles of the whole table without the part; empties the part. */
    public EntropyProfile[] profiles() {
      double[] sums = new double[7];
      long[] cells = whole.cells.clone();
      for (int i = 0; i < 7; i++) {
        sum.set(whole.sums[i]);
        for (int j = 0; j < size[i]; j++) {
          int m = touched[i][j];
          long c = whole.counts[i].countAt(m);
          sum.add(clogc(c - part[i][m]));
          sum.add(-clogc(c));
          cells[i] -= c == part[i][m] ? 1 : 0;
          part[i][m] = 0;
        }
        size[i] = 0;
        sums[i] = sum.value();
      }
      long left = JointCounts.this.frames - frames;
      frames = 0;
      return JointCounts.profiles(left, sums, cells);
    }
  }

  /**
   * Per quantity ({@link EntropyProfile#asMap()} keys), the variance across frames of its influence
   * function, in nats squared: N times the plug-in's variance were frames independent.
   */
  public Map<String, Double> frameVariances() {
    Tables s = tables(false);
    // A quantity is a sum of entropies with coefficients; its influence at a frame is
    // -sum coef * ln p(subset of the frame).
    Map<String, Double> out = new LinkedHashMap<>();
    EntropyProfile.coefficients().forEach((q, coef) -> {
      ExactSum mean = new ExactSum();
      ExactSum square = new ExactSum();
      joint.forEachInt((a, v, t, c) -> {
        double psi = 0;
        for (int i = 0; i < 7; i++) {
          boolean[] k = KEEPS[i];
          if (coef[i] != 0) {
            psi -= coef[i] * Math.log(s.counts[i].get(k[0] ? a : 0, k[1] ? v : 0, k[2] ? t : 0)
                / (double) frames);
          }
        }
        double p = c / (double) frames;
        mean.add(p * psi);
        square.add(p * psi * psi);
      });
      double m = mean.value();
      out.put(q, Math.max(0, square.value() - m * m));
    });
    return out;
  }

  /**
   * The plug-in and Miller-Madow profiles of the seven tables (A, V, T, AV, AT, VT, AVT) of {@code
   * n} observations, given each table's sum of c ln c and cells.
   */
  public static EntropyProfile[] profiles(long n, double[] sumClogC, long[] cells) {
    double[][] h = new double[2][7];
    for (int i = 0; n > 0 && i < 7; i++) {
      h[0][i] = Math.log(n) - sumClogC[i] / n;
      h[1][i] = h[0][i] + (cells[i] - 1) / (2.0 * n);
    }
    EntropyProfile[] out = new EntropyProfile[2];
    for (int w = 0; w < 2; w++) {
      out[w] = new EntropyProfile(h[w][0], h[w][1], h[w][2], h[w][3], h[w][4], h[w][5], h[w][6]);
    }
    return out;
  }

  /** The seven tables' counts and, once asked for, their cells and exact sums of c ln c. */
  private static final class Tables {
    final CellCounts[] counts = new CellCounts[7];
    final long[] cells = new long[7];
    ExactSum[] sums;

    void add(int a, int v, int t, long c) {
      for (int i = 0; i < 6; i++) {
        boolean[] k = KEEPS[i];
        counts[i].add(k[0] ? a : 0, k[1] ? v : 0, k[2] ? t : 0, c);
      }
      sums = null;
    }
  }

  private Tables tables(boolean withSums) {
    if (tables == null) {
      Tables s = new Tables();
      for (int i = 0; i < 6; i++) {
        s.counts[i] = new CellCounts();
      }
      s.counts[6] = joint;
      joint.forEachInt(s::add);
      tables = s;
    }
    Tables s = tables;
    if (withSums && s.sums == null) {
      s.sums = new ExactSum[7];
      for (int i = 0; i < 7; i++) {
        ExactSum sum = s.sums[i] = new ExactSum();
        s.counts[i].forEachInt((a, v, t, c) -> sum.add(clogc(c)));
        s.cells[i] = s.counts[i].size();
      }
    }
    return s;
  }

  private static double clogc(long c) {
    return c > 0 ? c * Math.log(c) : 0;
  }
}
