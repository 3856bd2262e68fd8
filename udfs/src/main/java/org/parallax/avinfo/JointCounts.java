package org.parallax.avinfo;

import java.util.HashMap;
import java.util.Map;

/**
 * A joint count table of three discrete variables (audio, visual, text units) from which the
 * seven count tables of every subset, and so every entropy, are derived in memory: Spark counts
 * the joint table once ({@code groupBy(a, v, t).count()}, small: at most the product of the
 * vocabularies), and the marginals are sums over it, never further passes over the frames.
 * Entropies are in nats: plug-in {@code H = ln N - (1/N) sum c ln c} and Miller-Madow
 * {@code H + (m - 1) / 2N} over the m non-empty cells. Not thread-safe.
 */
public final class JointCounts {
  private record Cell(int a, int v, int t) {}

  private final Map<Cell, Long> joint = new HashMap<>();
  private long n;

  /** Adds {@code count} frames to cell (a, v, t). */
  public void add(int a, int v, int t, long count) {
    if (count != 0) {
      joint.merge(new Cell(a, v, t), count, Long::sum);
      n += count;
    }
  }

  /** Frames counted. */
  public long frames() {
    return n;
  }

  /** Non-empty joint cells. */
  public int cells() {
    return joint.size();
  }

  /** The plug-in ({@code [0]}) and Miller-Madow ({@code [1]}) profiles, in nats. */
  public EntropyProfile[] profiles() {
    Map<Long, Long> a = new HashMap<>();
    Map<Long, Long> v = new HashMap<>();
    Map<Long, Long> t = new HashMap<>();
    Map<Long, Long> av = new HashMap<>();
    Map<Long, Long> at = new HashMap<>();
    Map<Long, Long> vt = new HashMap<>();
    for (Map.Entry<Cell, Long> e : joint.entrySet()) {
      Cell c = e.getKey();
      long k = e.getValue();
      a.merge((long) c.a(), k, Long::sum);
      v.merge((long) c.v(), k, Long::sum);
      t.merge((long) c.t(), k, Long::sum);
      av.merge(pair(c.a(), c.v()), k, Long::sum);
      at.merge(pair(c.a(), c.t()), k, Long::sum);
      vt.merge(pair(c.v(), c.t()), k, Long::sum);
    }
    double[][] h = {entropies(a.values()), entropies(v.values()), entropies(t.values()),
        entropies(av.values()), entropies(at.values()), entropies(vt.values()),
        entropies(joint.values())};
    EntropyProfile[] out = new EntropyProfile[2];
    for (int w = 0; w < 2; w++) {
      out[w] = new EntropyProfile(h[0][w], h[1][w], h[2][w], h[3][w], h[4][w], h[5][w], h[6][w]);
    }
    return out;
  }

  private static long pair(int x, int y) {
    return ((long) x << 32) | (y & 0xffffffffL);
  }

  /** Plug-in and Miller-Madow entropies (nats) of one table's counts. */
  private double[] entropies(Iterable<Long> counts) {
    if (n <= 0) {
      return new double[] {0, 0};
    }
    double sumClogc = 0;
    long cells = 0;
    for (long c : counts) {
      if (c > 0) {
        sumClogc += c * Math.log(c);
        cells++;
      }
    }
    double plugIn = Math.log(n) - sumClogc / n;
    return new double[] {plugIn, plugIn + (cells - 1) / (2.0 * n)};
  }
}
