package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One permutation test of a report of {@code avinfo stats}: an information of one group (a speaker,
 * a data source, or the whole corpus as {@code ""}) against draws of its own null ({@link
 * NullPairing#of}), its {@link PermutationTest} p-value, the {@link BenjaminiHochberg} value
 * adjusted across the report's tests, and whether that is at most alpha. Values are plug-in
 * estimates in nats.
 */
public record Significance(String group, String quantity, double pValue, double pBh,
    boolean significant) {
  /** The quantities tested: the informations, which vanish under their nulls. */
  public static final List<String> QUANTITIES = List.of("I(A;V)", "I(A;T)", "I(V;T)",
      "I(A;V|T)", "I(A;V;T)");
  private static final int[] INDEX = indices();

  private static int[] indices() {
    return QUANTITIES.stream().mapToInt(EntropyProfile.NAMES::indexOf).toArray();
  }

  /** The tested quantities' values of a plug-in profile, in {@link #QUANTITIES} order. */
  public static double[] observed(EntropyProfile plugIn) {
    double[] all = plugIn.values();
    double[] out = new double[INDEX.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = all[INDEX[i]];
    }
    return out;
  }

  /**
   * The tested quantities in one draw of the nulls, each from its own pairing's plug-in profile.
   */
  public static double[] nulls(Map<NullPairing, EntropyProfile> plugIns) {
    double[] out = new double[INDEX.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = plugIns.get(NullPairing.of(QUANTITIES.get(i))).values()[INDEX[i]];
    }
    return out;
  }

  /** Adds one null draw to {@code atLeast}: per quantity, whether it reached the observed. */
  public static void count(double[] observed, double[] nulls, long[] atLeast) {
    for (int i = 0; i < observed.length; i++) {
      atLeast[i] += PermutationTest.atLeast(nulls[i], observed[i]) ? 1 : 0;
    }
  }

  /**
   * The tests of one report from each group's counts of null draws at least the observed value
   * among {@code replicates}, adjusted together, in the map's and {@link #QUANTITIES} order.
   */
  public static List<Significance> of(Map<String, long[]> atLeast, long replicates,
      double alpha) {
    List<String> groups = new ArrayList<>();
    List<String> quantities = new ArrayList<>();
    List<Double> p = new ArrayList<>();
    atLeast.forEach((g, counts) -> {
      for (int i = 0; i < counts.length; i++) {
        groups.add(g);
        quantities.add(QUANTITIES.get(i));
        p.add(PermutationTest.pValue(counts[i], replicates));
      }
    });
    double[] bh = BenjaminiHochberg.adjust(p.stream().mapToDouble(Double::doubleValue)
        .toArray());
    List<Significance> out = new ArrayList<>();
    for (int i = 0; i < bh.length; i++) {
      out.add(new Significance(groups.get(i), quantities.get(i), p.get(i), bh[i],
          bh[i] <= alpha));
    }
    return out;
  }

  /** The report's block of the whole corpus's {@code tests}. */
  public static Map<String, Object> summary(List<Significance> tests, int draws, double alpha) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    out.put("null_replicates", draws);
    out.put("alpha", alpha);
    out.put("p_value", "(1 + #{null plug-in >= observed plug-in}) / (N + 1), one-sided, "
        + "against the quantity's own null (null_pairings)");
    out.put("p_bh", "Benjamini-Hochberg across the tests of one report: the whole corpus's "
        + "five informations; in by_speaker/ and by_data_source/ every group's five");
    Map<String, Object> byQuantity = new java.util.LinkedHashMap<>();
    for (Significance t : tests) {
      Map<String, Object> test = new java.util.LinkedHashMap<>();
      test.put("p_value", t.pValue());
      test.put("p_bh", t.pBh());
      test.put("significant", t.significant());
      byQuantity.put(t.quantity(), test);
    }
    out.put("whole_corpus", byQuantity);
    return out;
  }

  /**
   * The seed of null draw {@code r}: {@code seed} for draw 0 (the report's null), else a SplitMix64
   * step of the two.
   */
  public static long replicateSeed(long seed, int r) {
    if (r == 0) {
      return seed;
    }
    long z = seed + r * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
