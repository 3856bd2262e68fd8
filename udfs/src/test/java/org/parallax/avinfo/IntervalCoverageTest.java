package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Coverage of the reported 95% intervals, by simulation on the code path the Spark job uses
 * ({@link StatsEstimates} over per-utterance tables): streams drawn from joint distributions
 * with closed-form entropies, frames repeating within an utterance as in speech, seeded
 * repetitions per case. Every quantity's {@code corrected} interval (the estimator {@link
 * StatsEstimates#correctedBy} names for it) must contain the truth in at least 90% of them on
 * every case; the other intervals are measured and printed beside their mean widths (the
 * README's table), not required.
 */
class IntervalCoverageTest {
  static final int REPLICATES = 100;
  static final String DATAGEN = "datagen model";
  /** Repetitions per case: 200 of the datagen model (32,000 frames each), 100 of the others. */
  static int repetitions(String name) {
    return name.equals(DATAGEN) ? 200 : 100;
  }

  static final int SPEECH_UTTERANCES = Integer.getInteger("coverage.utterances", 800);
  static final String[] ESTIMATORS = {"plug_in", "miller_madow", "bootstrap_corrected",
    "jackknife", "null_subtracted", "corrected"};
  static final int CORRECTED = 5;

  @Test
  void correctedIntervalsCoverTheTruth() {
    Map<String, double[][][]> cases = new LinkedHashMap<>();
    cases.put(DATAGEN, speechLike());
    cases.put("conditionally independent triple", smallTriple());
    cases.put("independent pair", independentPair());
    cases.put("synergy", noisyXor());
    Map<String, Integer> utterances = Map.of(DATAGEN, SPEECH_UTTERANCES,
        "conditionally independent triple", 150, "independent pair", 150, "synergy", 150);
    StringBuilder table = new StringBuilder("| case | quantity | truth (nats)");
    for (String e : ESTIMATORS) {
      table.append(" | ").append(e);
    }
    table.append(" | corrected by | corrected width |\n");
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, double[][][]> c : cases.entrySet()) {
      Map<String, Double> truth = EntropyProfile.of(c.getValue(), Math.E).asMap();
      int reps = repetitions(c.getKey());
      Coverage covered = coverage(c.getValue(), truth, utterances.get(c.getKey()), reps);
      for (String q : truth.keySet()) {
        table.append(String.format("| %s | %s | %.4f", c.getKey(), q, truth.get(q)));
        for (int e = 0; e < ESTIMATORS.length; e++) {
          int hits = covered.hits.get(q)[e];
          table.append(hits < 0 ? " | -" : String.format(" | %.0f%% (%.4f)", 100.0 * hits / reps,
              covered.widths.get(q)[e] / reps));
        }
        int hits = covered.hits.get(q)[CORRECTED];
        table.append(String.format(" | %s | %.4f |%n", covered.by.get(q),
            covered.widths.get(q)[CORRECTED] / reps));
        if (hits < 0.9 * reps) {
          failures.add(c.getKey() + " " + q + " corrected (" + covered.by.get(q) + "): " + hits
              + "/" + reps);
        }
      }
    }
    System.out.println(table);
    assertTrue(failures.isEmpty(), "coverage below 90%: " + failures + "\n" + table);
  }

  /**
   * Per quantity, per estimator: repetitions whose interval held the truth (-1: none given)
   * and the sum of the intervals' widths; the estimator the corrected interval copied.
   */
  private record Coverage(Map<String, int[]> hits, Map<String, double[]> widths,
      Map<String, String> by) {}

  private static Coverage coverage(double[][][] p, Map<String, Double> truth, int utterances,
      int repetitions) {
    Coverage c = new Coverage(new LinkedHashMap<>(), new LinkedHashMap<>(),
        new LinkedHashMap<>());
    truth.keySet().forEach(q -> {
      c.hits.put(q, new int[ESTIMATORS.length]);
      c.widths.put(q, new double[ESTIMATORS.length]);
    });
    for (int rep = 0; rep < repetitions; rep++) {
      UtteranceFrames frames = generate(p, utterances, 40, 0.5, 1000 + rep);
      StatsEstimates estimates = frames.estimates(REPLICATES, 77 + rep, 0.95);
      Map<String, Map<String, Double>> m = estimates.measures(Math.E);
      c.by.putAll(estimates.correctedBy());
      for (String q : truth.keySet()) {
        for (int e = 0; e < ESTIMATORS.length; e++) {
          String prefix = ESTIMATORS[e] + "_";
          Double low = m.get(q).get(prefix + "ci_low");
          Double high = m.get(q).get(prefix + "ci_high");
          if (low == null) {
            c.hits.get(q)[e] = -1;
            continue;
          }
          c.widths.get(q)[e] += high - low;
          if (c.hits.get(q)[e] >= 0 && low <= truth.get(q) && truth.get(q) <= high) {
            c.hits.get(q)[e]++;
          }
        }
      }
    }
    return c;
  }

  /**
   * Utterances of 20-60 frames; each frame repeats the previous triple with probability
   * {@code repeat}, else draws afresh from {@code p}, so every frame's marginal is {@code p}.
   */
  static UtteranceFrames generate(double[][][] p, int utterances, int meanFrames, double repeat,
      long seed) {
    int nv = p[0].length;
    int nt = p[0][0].length;
    double[] cdf = new double[p.length * nv * nt];
    double total = 0;
    for (int i = 0; i < cdf.length; i++) {
      total += p[i / (nv * nt)][(i / nt) % nv][i % nt];
      cdf[i] = total;
    }
    SplittableRandom r = new SplittableRandom(seed);
    UtteranceFrames out = new UtteranceFrames();
    for (int u = 0; u < utterances; u++) {
      int n = meanFrames / 2 + r.nextInt(meanFrames + 1);
      int[][] units = new int[3][n];
      int cell = 0;
      for (int f = 0; f < n; f++) {
        if (f == 0 || r.nextDouble() >= repeat) {
          int i = Arrays.binarySearch(cdf, r.nextDouble() * total);
          cell = Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
        }
        units[0][f] = cell / (nv * nt);
        units[1][f] = (cell / nt) % nv;
        units[2][f] = cell % nt;
      }
      out.add(units[0], units[1], units[2]);
    }
    return out;
  }

  /** The datagen model: T Zipf(12, 0.7); V = T mod 5 w.p. 0.8; A = T w.p. 0.7 (of 16). */
  static double[][][] speechLike() {
    double[] zipf = new double[12];
    double z = 0;
    for (int t = 0; t < 12; t++) {
      zipf[t] = Math.pow(t + 1, -0.7);
      z += zipf[t];
    }
    double[][][] p = new double[16][5][12];
    for (int a = 0; a < 16; a++) {
      for (int v = 0; v < 5; v++) {
        for (int t = 0; t < 12; t++) {
          double pv = 0.2 / 5 + (v == t % 5 ? 0.8 : 0);
          double pa = 0.3 / 16 + (a == t ? 0.7 : 0);
          p[a][v][t] = zipf[t] / z * pv * pa;
        }
      }
    }
    return p;
  }

  /** T uniform over 3; A = T w.p. 0.6, V = T w.p. 0.7, else uniform, independently given T. */
  static double[][][] smallTriple() {
    double[][][] p = new double[3][3][3];
    for (int a = 0; a < 3; a++) {
      for (int v = 0; v < 3; v++) {
        for (int t = 0; t < 3; t++) {
          p[a][v][t] = (1 / 3.0) * (0.4 / 3 + (a == t ? 0.6 : 0)) * (0.3 / 3 + (v == t ? 0.7 : 0));
        }
      }
    }
    return p;
  }

  /** A uniform over 6, V uniform over 4 and independent of A; T = A mod 3 w.p. 0.8. */
  static double[][][] independentPair() {
    double[][][] p = new double[6][4][3];
    for (int a = 0; a < 6; a++) {
      for (int v = 0; v < 4; v++) {
        for (int t = 0; t < 3; t++) {
          p[a][v][t] = (1 / 6.0) * (1 / 4.0) * (0.2 / 3 + (t == a % 3 ? 0.8 : 0));
        }
      }
    }
    return p;
  }

  /** Fair bits A, V; T = A xor V flipped w.p. 0.1. */
  static double[][][] noisyXor() {
    double[][][] p = new double[2][2][2];
    for (int a = 0; a < 2; a++) {
      for (int v = 0; v < 2; v++) {
        for (int t = 0; t < 2; t++) {
          p[a][v][t] = 0.25 * (t == (a ^ v) ? 0.9 : 0.1);
        }
      }
    }
    return p;
  }

  /**
   * Runs of held units in which A copies V given T: the conditionally shuffled table keeps
   * (A,T), (V,T) and the frames, and its I(A;V|T) falls to the sampling floor.
   */
  @Test
  void conditionalNullKeepsTheTablesItConditionsOn() {
    double[][][] p = new double[4][4][2];
    for (int a = 0; a < 4; a++) {
      for (int t = 0; t < 2; t++) {
        p[a][a][t] = 1 / 8.0;
      }
    }
    UtteranceFrames frames = IntervalCoverageTest.generate(p, 200, 20, 0.5, 3);
    JointCounts total = UtteranceFrames.sum(frames.perUtterance());
    JointCounts shuffled = frames.conditionallyShuffled(4);
    Map<String, Double> before = total.profiles()[0].asMap();
    Map<String, Double> after = shuffled.profiles()[0].asMap();
    assertEquals(total.frames(), shuffled.frames());
    for (String q : List.of("H(A,T)", "H(V,T)", "H(T)")) {
      assertEquals(before.get(q), after.get(q), 1e-12, q);
    }
    assertEquals(Math.log(4), before.get("I(A;V|T)"), 0.01);
    assertEquals(0, after.get("I(A;V|T)"), 0.05);
  }
}
