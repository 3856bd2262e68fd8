package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Aligned unit streams in memory, one utterance at a time, and the tables {@code avinfo stats}
 * estimates from: the whole corpus's, each utterance's, Poisson(1) bootstrap replicates and the
 * four shuffled nulls (seeded cyclic derangements), handed to {@link StatsEstimates}. For
 * simulations and tests; not thread-safe.
 */
final class UtteranceFrames {
  private final List<int[][]> utterances = new ArrayList<>();

  /** Adds one utterance's frames ({@code a[f], v[f], t[f]}, equal lengths). */
  public void add(int[] a, int[] v, int[] t) {
    if (a.length != v.length || a.length != t.length) {
      throw new IllegalArgumentException("an utterance needs as many A, V and T units, got "
          + a.length + ", " + v.length + ", " + t.length);
    }
    utterances.add(new int[][] {a, v, t});
  }

  /** Utterances added. */
  public int size() {
    return utterances.size();
  }

  /** Each utterance's joint count table, in the order added. */
  public List<JointCounts> perUtterance() {
    List<JointCounts> out = new ArrayList<>(utterances.size());
    for (int[][] u : utterances) {
      JointCounts j = new JointCounts();
      for (int f = 0; f < u[0].length; f++) {
        j.add(u[0][f], u[1][f], u[2][f], 1);
      }
      out.add(j);
    }
    return out;
  }

  /** Leaves utterance {@code table} out in {@code jackknife}. */
  static void leaveOut(Jackknife jackknife, JointCounts table) {
    table.forEach(jackknife::add);
    jackknife.leave();
  }

  /** The sum of tables. */
  public static JointCounts sum(List<JointCounts> tables) {
    JointCounts total = new JointCounts();
    for (JointCounts t : tables) {
      t.forEach(total::add);
    }
    return total;
  }

  /**
   * The joint tables of {@code replicates} replicates, each utterance weighted by a seeded
   * Poisson(1) draw (summed over dense cell indices, then handed over as tables).
   */
  public static List<JointCounts> bootstrap(List<JointCounts> perUtterance, int replicates,
      long seed) {
    java.util.Map<List<Integer>, Integer> index = new java.util.HashMap<>();
    List<int[]> units = new ArrayList<>();
    int[][] at = new int[perUtterance.size()][];
    long[][] counts = new long[perUtterance.size()][];
    for (int u = 0; u < at.length; u++) {
      List<long[]> cells = new ArrayList<>();
      perUtterance.get(u).forEach((a, v, t, c) -> cells.add(new long[] {
        index.computeIfAbsent(List.of(a, v, t), k -> {
          units.add(new int[] {a, v, t});
          return units.size() - 1;
        }), c}));
      at[u] = cells.stream().mapToInt(x -> (int) x[0]).toArray();
      counts[u] = cells.stream().mapToLong(x -> x[1]).toArray();
    }
    SplittableRandom r = new SplittableRandom(seed);
    List<JointCounts> out = new ArrayList<>(replicates);
    for (int b = 0; b < replicates; b++) {
      long[] weighted = new long[units.size()];
      for (int u = 0; u < at.length; u++) {
        int w = poisson(r);
        for (int i = 0; w > 0 && i < at[u].length; i++) {
          weighted[at[u][i]] += w * counts[u][i];
        }
      }
      JointCounts table = new JointCounts();
      for (int i = 0; i < weighted.length; i++) {
        table.add(units.get(i)[0], units.get(i)[1], units.get(i)[2], weighted[i]);
      }
      out.add(table);
    }
    return out;
  }

  /**
   * The table of a frame-aligned {@code pairing}: utterance i's shuffled modality taken from
   * utterance {@code partner[i]} at the same frame; frames the partner lacks drop out.
   */
  public JointCounts shuffled(NullPairing pairing, int[] partner) {
    if (!pairing.acrossUtterances()) {
      throw new IllegalArgumentException(pairing + " is not a partner utterance's shuffle: use "
          + "conditionallyShuffled");
    }
    int s = pairing.ordinal();
    JointCounts out = new JointCounts();
    for (int i = 0; i < utterances.size(); i++) {
      int[][] own = utterances.get(i);
      int[] other = utterances.get(partner[i])[s];
      int[] units = new int[3];
      for (int f = 0; f < Math.min(own[0].length, other.length); f++) {
        for (int m = 0; m < 3; m++) {
          units[m] = m == s ? other[f] : own[m][f];
        }
        out.add(units[0], units[1], units[2], 1);
      }
    }
    return out;
  }

  /**
   * The table of {@link NullPairing#VISUAL_SHUFFLED_WITHIN_TEXT}: every run takes the V of another
   * run with the same T and length under a seeded cyclic derangement of each (T, length) stratum; a
   * run alone in its stratum keeps its V.
   */
  public JointCounts conditionallyShuffled(long seed) {
    java.util.Map<Long, List<int[]>> strata = new java.util.TreeMap<>();
    for (int[][] u : utterances) {
      int start = 0;
      for (int f = 1; f <= u[0].length; f++) {
        if (f == u[0].length || u[0][f] != u[0][start] || u[1][f] != u[1][start]
            || u[2][f] != u[2][start]) {
          int[] seg = {u[0][start], u[1][start], u[2][start], f - start};
          strata.computeIfAbsent(((long) seg[2] << 32) | seg[3], k -> new ArrayList<>()).add(seg);
          start = f;
        }
      }
    }
    JointCounts out = new JointCounts();
    SplittableRandom r = new SplittableRandom(seed);
    for (List<int[]> segs : strata.values()) {
      if (segs.size() < 2) {
        int[] s = segs.get(0);
        out.add(s[0], s[1], s[2], s[3]);
        continue;
      }
      int[] partner = derangement(segs.size(), r.nextLong());
      for (int i = 0; i < segs.size(); i++) {
        int[] s = segs.get(i);
        out.add(s[0], segs.get(partner[i])[1], s[2], s[3]);
      }
    }
    return out;
  }

  /**
   * A seeded cyclic derangement of {@code n >= 2} items: in a random order, each item's partner is
   * the one before it.
   */
  public static int[] derangement(int n, long seed) {
    if (n < 2) {
      throw new IllegalArgumentException("a shuffled null needs at least two utterances, got "
          + n);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int x = order[i];
      order[i] = order[j];
      order[j] = x;
    }
    int[] partner = new int[n];
    for (int i = 0; i < n; i++) {
      partner[order[i]] = order[(i + n - 1) % n];
    }
    return partner;
  }

  /** Every estimate of {@link StatsEstimates} for these frames, seeded by {@code seed}. */
  public StatsEstimates estimates(int replicates, long seed, double confidence) {
    List<JointCounts> tables = perUtterance();
    JointCounts total = sum(tables);
    Jackknife jack = new Jackknife(total);
    tables.forEach(t -> leaveOut(jack, t));
    StatsEstimates e = new StatsEstimates(total, confidence).jackknife(jack)
        .bootstrap(bootstrap(tables, replicates, seed));
    int[] partner = derangement(utterances.size(), seed ^ 0x5DEECE66DL);
    for (NullPairing p : NullPairing.values()) {
      e.nulls(p, p.acrossUtterances() ? shuffled(p, partner)
          : conditionallyShuffled(seed ^ 0xC0FFEEL));
    }
    return e;
  }

  /**
   * Per quantity of {@link Significance#QUANTITIES}, how many of {@code replicates} draws of its
   * null (seeded by {@link Significance#replicateSeed}) reached the observed plug-in value.
   */
  public long[] nullsAtLeastObserved(int replicates, long seed) {
    double[] observed = Significance.observed(sum(perUtterance()).profiles()[0]);
    long[] atLeast = new long[observed.length];
    for (int r = 0; r < replicates; r++) {
      long s = Significance.replicateSeed(seed, r);
      int[] partner = derangement(utterances.size(), s ^ 0x5DEECE66DL);
      java.util.Map<NullPairing, EntropyProfile> plugIns = new java.util.EnumMap<>(
          NullPairing.class);
      for (NullPairing p : NullPairing.values()) {
        plugIns.put(p, (p.acrossUtterances() ? shuffled(p, partner)
            : conditionallyShuffled(s ^ 0xC0FFEEL)).profiles()[0]);
      }
      Significance.count(observed, Significance.nulls(plugIns), atLeast);
    }
    return atLeast;
  }

  private static int poisson(SplittableRandom r) {
    double u = r.nextDouble();
    double p = Math.exp(-1);
    double cdf = p;
    int k = 0;
    while (u > cdf && k < 20) {
      k++;
      p /= k;
      cdf += p;
    }
    return k;
  }
}
