package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Calibration of the permutation tests of {@code avinfo stats}, by simulation on the in-memory
 * nulls ({@link UtteranceFrames}: the same pairings, drawn {@code N} times) and the job's
 * arithmetic ({@link PermutationTest}, {@link BenjaminiHochberg}, {@link Significance}).
 * 30 utterances per data set, 99 null draws per test; seeds fixed. The synergy model is the
 * coverage simulation's ({@link IntervalCoverageTest#noisyXor}): {@code datagen avinfo} has no
 * synergy setting.
 */
class SignificanceCalibrationTest {
  static final int DATA_SETS = 200;
  static final int DRAWS = 99;
  static final int UTTERANCES = 30;
  static final int FRAMES = 20;
  static final double ALPHA = 0.05;
  static final int CONDITIONAL = Significance.QUANTITIES.indexOf("I(A;V|T)");

  /**
   * Utterances of 10-30 frames in which A, V and T are each a unit that repeats its previous
   * frame's value with probability 0.5, else is drawn afresh (A uniform over 3, T over 2); V
   * likewise, a fresh draw copying the frame's A with probability {@code copy}, else uniform
   * over 3. With {@code copy} 0 the three streams are independent processes, the null that the
   * shuffles draw from: every information zero. Otherwise I(A;V) = I(A;V|T) > 0 and the other
   * three are zero.
   */
  static UtteranceFrames streams(double copy, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    UtteranceFrames out = new UtteranceFrames();
    for (int u = 0; u < UTTERANCES; u++) {
      int n = FRAMES;
      int[][] units = new int[3][n];
      for (int f = 0; f < n; f++) {
        units[0][f] = f > 0 && r.nextDouble() < 0.5 ? units[0][f - 1] : r.nextInt(3);
        units[2][f] = f > 0 && r.nextDouble() < 0.5 ? units[2][f - 1] : r.nextInt(2);
        units[1][f] = f > 0 && r.nextDouble() < 0.5 ? units[1][f - 1]
            : r.nextDouble() < copy ? units[0][f] : r.nextInt(3);
      }
      out.add(units[0], units[1], units[2]);
    }
    return out;
  }

  /**
   * Under a true null every p-value is uniform (Kolmogorov-Smirnov at 0.01 over 200 data
   * sets, per quantity: the frame-aligned pairings on independent streams of equal lengths,
   * the conditional one on the coverage simulation's conditionally independent triple, whose
   * units repeat jointly), and with one group null and one dependent per data set the
   * Benjamini-Hochberg false discovery rate (mean share of false among significant tests) is
   * at most alpha. A test's hypothesis is its pairing's independence (I(A;V;T): V independent
   * of (A,T)), so the dependent group's co-information, 0, is significant when that fails:
   * printed.
   */
  @Test
  void nullPValuesAreUniformAndTheFalseDiscoveryRateStaysBelowAlpha() {
    double[][] nullP = new double[Significance.QUANTITIES.size()][DATA_SETS];
    double falseDiscoveryProportions = 0;
    Map<String, Integer> falseBy = new java.util.TreeMap<>();
    int discoveries = 0;
    for (int s = 0; s < DATA_SETS; s++) {
      Map<String, long[]> counts = new LinkedHashMap<>();
      counts.put("null", streams(0, 5000 + s).nullsAtLeastObserved(DRAWS, 90 + s));
      counts.put("dependent", streams(0.6, 9000 + s).nullsAtLeastObserved(DRAWS, 70 + s));
      long[] conditional = IntervalCoverageTest.generate(IntervalCoverageTest.smallTriple(),
          UTTERANCES, 2 * FRAMES, 0.5, 7000 + s).nullsAtLeastObserved(DRAWS, 50 + s);
      for (int q = 0; q < nullP.length; q++) {
        nullP[q][s] = PermutationTest.pValue(q == CONDITIONAL ? conditional[q]
            : counts.get("null")[q], DRAWS);
      }
      List<Significance> tests = Significance.of(counts, DRAWS, ALPHA);
      int significant = 0;
      int falseOnes = 0;
      for (Significance t : tests) {
        // A test's hypothesis is its pairing's independence ({@link NullPairing}): in the
        // dependent group only T is independent of (A, V), so only I(V;T)'s holds there.
        boolean trueNull = t.group().equals("null") || t.quantity().equals("I(V;T)");
        significant += t.significant() ? 1 : 0;
        falseOnes += t.significant() && trueNull ? 1 : 0;
        if (t.significant() && (trueNull || t.quantity().equals("I(A;V;T)"))) {
          falseBy.merge(t.group() + " " + t.quantity(), 1, Integer::sum);
        }
      }
      discoveries += significant;
      falseDiscoveryProportions += significant == 0 ? 0 : (double) falseOnes / significant;
    }
    double fdr = falseDiscoveryProportions / DATA_SETS;
    // Kolmogorov-Smirnov at 0.01: sqrt(-ln(0.005) / 2) / sqrt(n), 1.628 / sqrt(200) = 0.1151.
    double critical = Math.sqrt(-Math.log(0.005) / 2) / Math.sqrt(DATA_SETS);
    StringBuilder report = new StringBuilder(String.format("false discovery rate %.4f "
        + "(alpha %.2f, %d discoveries in %d data sets); significant where the quantity is 0, by "
        + "test: %s (the dependent group's I(A;V;T) is 0, but its hypothesis, V independent "
        + "of (A,T), is false)%n", fdr, ALPHA,
        discoveries, DATA_SETS, falseBy));
    boolean uniform = true;
    for (int q = 0; q < nullP.length; q++) {
      double d = ksDistance(nullP[q]);
      uniform &= d <= critical;
      report.append(String.format("%s under the null: KS distance %.4f (critical %.4f), "
          + "share below 0.05: %.3f%n", Significance.QUANTITIES.get(q), d, critical,
          Arrays.stream(nullP[q]).filter(p -> p <= 0.05).count() / (double) DATA_SETS));
    }
    System.out.print(report);
    assertTrue(uniform, "null p-values not uniform:\n" + report);
    assertTrue(fdr <= ALPHA, "false discovery rate above alpha:\n" + report);
    assertTrue(discoveries >= DATA_SETS, "the dependent groups were hardly ever found:\n"
        + report);
  }

  /**
   * The power on the synergy model (fair bits A, V; T = A xor V flipped w.p. 0.1; I(A;V|T) =
   * 0.368 nats, the pairwise informations zero, the co-information -0.368): how often each
   * information is significant after the adjustment, printed; I(A;V|T) must be found in most
   * data sets. The co-information's test is one-sided (larger than its null), so synergy shows
   * in I(A;V|T), not in I(A;V;T).
   */
  @Test
  void synergyIsFoundInTheConditionalInformation() {
    int sets = 50;
    int[] found = new int[Significance.QUANTITIES.size()];
    for (int s = 0; s < sets; s++) {
      long[] counts = IntervalCoverageTest.generate(IntervalCoverageTest.noisyXor(), UTTERANCES,
          FRAMES, 0.5, 3000 + s).nullsAtLeastObserved(DRAWS, 40 + s);
      List<Significance> tests = Significance.of(Map.of("", counts), DRAWS, ALPHA);
      for (int q = 0; q < found.length; q++) {
        found[q] += tests.get(q).significant() ? 1 : 0;
      }
    }
    StringBuilder report = new StringBuilder(String.format("power on the synergy model (%d "
        + "data sets of %d utterances, %d draws, alpha %.2f):", sets, UTTERANCES, DRAWS, ALPHA));
    for (int q = 0; q < found.length; q++) {
      report.append(String.format(" %s %.2f", Significance.QUANTITIES.get(q),
          found[q] / (double) sets));
    }
    System.out.println(report);
    assertTrue(found[Significance.QUANTITIES.indexOf("I(A;V|T)")] >= 0.8 * sets,
        report.toString());
  }

  /** The largest distance between the empirical distribution of {@code p} and the uniform. */
  static double ksDistance(double[] p) {
    double[] sorted = p.clone();
    Arrays.sort(sorted);
    double d = 0;
    for (int i = 0; i < sorted.length; i++) {
      d = Math.max(d, Math.max((i + 1.0) / sorted.length - sorted[i],
          sorted[i] - (double) i / sorted.length));
    }
    return d;
  }
}
