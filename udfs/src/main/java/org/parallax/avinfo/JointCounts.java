package org.parallax.avinfo;

import java.util.HashMap;
import java.util.Map;

/**
 * A joint count table of three discrete variables (audio, visual, text units; ints, or any
 * values such as a lexicon's phones, visemes and words) from which the
 * seven count tables of every subset, and so every entropy, are derived in memory: Spark counts
 * the joint table once ({@code groupBy(a, v, t).count()}, small: at most the product of the
 * vocabularies), and the marginals are sums over it, never further passes over the frames.
 * Entropies are in nats: plug-in {@code H = ln N - (1/N) sum c ln c} and Miller-Madow
 * {@code H + (m - 1) / 2N} over the m non-empty cells. Not thread-safe.
 */
public final class JointCounts {
  private record Cell(Object a, Object v, Object t) {}

  private record Pair(Object x, Object y) {}

  private final Map<Cell, Long> joint = new HashMap<>();
  private long n;

  /** Adds {@code count} frames to cell (a, v, t); units are any values with equals/hashCode. */
  public void add(Object a, Object v, Object t, long count) {
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
    Map<Object, Long> a = new HashMap<>();
    Map<Object, Long> v = new HashMap<>();
    Map<Object, Long> t = new HashMap<>();
    Map<Pair, Long> av = new HashMap<>();
    Map<Pair, Long> at = new HashMap<>();
    Map<Pair, Long> vt = new HashMap<>();
    for (Map.Entry<Cell, Long> e : joint.entrySet()) {
      Cell c = e.getKey();
      long k = e.getValue();
      a.merge(c.a(), k, Long::sum);
      v.merge(c.v(), k, Long::sum);
      t.merge(c.t(), k, Long::sum);
      av.merge(new Pair(c.a(), c.v()), k, Long::sum);
      at.merge(new Pair(c.a(), c.t()), k, Long::sum);
      vt.merge(new Pair(c.v(), c.t()), k, Long::sum);
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
