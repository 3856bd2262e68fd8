package org.parallax.avinfo;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * A joint count table of three discrete variables (int units, or any values with equals/hashCode),
 * from which the seven subset tables and so every entropy are derived in memory: plug-in {@code H =
 * ln N - (1/N) sum c ln c} and Miller-Madow {@code H + (m - 1) / 2N} over m non-empty cells, in
 * nats. Not thread-safe.
 */
public final class JointCounts implements Serializable {
  private static final long serialVersionUID = 1L;

  private record Cell(Object a, Object v, Object t) implements Serializable {}

  private record Pair(Object x, Object y) implements Serializable {}

  /** Receives the cells of a table. */
  @FunctionalInterface
  public interface CellConsumer {
    void accept(Object a, Object v, Object t, long count);
  }

  private final Map<Cell, Long> joint = new HashMap<>();
  private long n;
  private transient Tables tables;

  /** Adds {@code count} frames to cell (a, v, t); units are any values with equals/hashCode. */
  public void add(Object a, Object v, Object t, long count) {
    if (count != 0) {
      joint.merge(new Cell(a, v, t), count, Long::sum);
      n += count;
      tables = null;
    }
  }

  /** Adds every cell of {@code other}, each count multiplied by {@code weight}. */
  public void addAll(JointCounts other, long weight) {
    if (weight != 0) {
      other.forEach((a, v, t, c) -> add(a, v, t, c * weight));
    }
  }

  /** Visits every non-empty cell. */
  public void forEach(CellConsumer out) {
    joint.forEach((c, k) -> out.accept(c.a(), c.v(), c.t(), k));
  }

  /** Frames counted. */
  public long frames() {
    return n;
  }

  /** Non-empty joint cells. */
  public int cells() {
    return joint.size();
  }

  /** Distinct values of A, V and T seen (the observed vocabulary sizes). */
  public int[] vocabularies() {
    Tables s = tables();
    return new int[] {s.counts[0].size(), s.counts[1].size(), s.counts[2].size()};
  }

  /** The plug-in ({@code [0]}) and Miller-Madow ({@code [1]}) profiles, in nats. */
  public EntropyProfile[] profiles() {
    Tables s = tables();
    long[] cells = new long[7];
    for (int i = 0; i < 7; i++) {
      cells[i] = s.counts[i].size();
    }
    return profiles(n, s.sumClogC, cells);
  }

  /**
   * Per quantity ({@link EntropyProfile#asMap()} keys), the variance across frames of its influence
   * function, in nats squared: N times the plug-in's variance were frames independent.
   */
  public Map<String, Double> frameVariances() {
    Tables s = tables();
    // Each quantity is a sum of entropies with coefficients; its influence at a frame is
    // -sum coef * ln p(subset of the frame).
    Map<String, double[]> coefs = EntropyProfile.coefficients();
    Map<String, Double> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, double[]> q : coefs.entrySet()) {
      double mean = 0;
      double square = 0;
      for (Map.Entry<Cell, Long> e : joint.entrySet()) {
        double psi = 0;
        for (int i = 0; i < 7; i++) {
          if (q.getValue()[i] != 0) {
            psi -= q.getValue()[i] * Math.log(s.counts[i].get(key(i, e.getKey())) / (double) n);
          }
        }
        double p = e.getValue() / (double) n;
        mean += p * psi;
        square += p * psi * psi;
      }
      out.put(q.getKey(), Math.max(0, square - mean * mean));
    }
    return out;
  }

  /**
   * The plug-in and Miller-Madow profiles of the seven tables (A, V, T, AV, AT, VT, AVT) of {@code
   * n} observations, given each table's sum of c ln c and cells.
   */
  public static EntropyProfile[] profiles(long n, double[] sumClogC, long[] cells) {
    double[][] h = new double[7][];
    for (int i = 0; i < 7; i++) {
      h[i] = entropies(n, sumClogC[i], cells[i]);
    }
    EntropyProfile[] out = new EntropyProfile[2];
    for (int w = 0; w < 2; w++) {
      out[w] = new EntropyProfile(h[0][w], h[1][w], h[2][w], h[3][w], h[4][w], h[5][w], h[6][w]);
    }
    return out;
  }

  /** The seven tables' counts (A, V, T, AV, AT, VT, AVT) and their sums of c ln c. */
  private static final class Tables {
    @SuppressWarnings("unchecked")
    final Map<Object, Long>[] counts = new Map[7];
    final double[] sumClogC = new double[7];
  }

  private Tables tables() {
    if (tables == null) {
      Tables s = new Tables();
      for (int i = 0; i < 7; i++) {
        s.counts[i] = new HashMap<>();
      }
      for (Map.Entry<Cell, Long> e : joint.entrySet()) {
        for (int i = 0; i < 7; i++) {
          s.counts[i].merge(key(i, e.getKey()), e.getValue(), Long::sum);
        }
      }
      for (int i = 0; i < 7; i++) {
        for (long c : s.counts[i].values()) {
          s.sumClogC[i] += clogc(c);
        }
      }
      tables = s;
    }
    return tables;
  }

  /** The cell's key in table i: A, V, T, (A,V), (A,T), (V,T), (A,V,T). */
  private static Object key(int i, Cell c) {
    return switch (i) {
      case 0 -> c.a();
      case 1 -> c.v();
      case 2 -> c.t();
      case 3 -> new Pair(c.a(), c.v());
      case 4 -> new Pair(c.a(), c.t());
      case 5 -> new Pair(c.v(), c.t());
      default -> c;
    };
  }

  static double clogc(long c) {
    return c > 0 ? c * Math.log(c) : 0;
  }

  /** Plug-in and Miller-Madow entropies (nats) of a table of {@code n} frames. */
  static double[] entropies(long n, double sumClogc, long cells) {
    if (n <= 0) {
      return new double[] {0, 0};
    }
    double plugIn = Math.log(n) - sumClogc / n;
    return new double[] {plugIn, plugIn + (cells - 1) / (2.0 * n)};
  }
}
