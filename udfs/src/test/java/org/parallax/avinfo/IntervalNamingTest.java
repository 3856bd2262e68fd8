package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every interval {@link StatsEstimates} reports is named after the estimate it was computed
 * for: a key {@code <estimator>_ci_low} (and {@code _ci_high}) stands beside the key
 * {@code <estimator>}, never alone; the corrected estimate lies inside its own interval.
 */
class IntervalNamingTest {
  /** Correlated units over 30 utterances, with and without a bootstrap. */
  @Test
  void everyIntervalStandsBesideItsEstimate() {
    SplittableRandom r = new SplittableRandom(5);
    UtteranceFrames frames = new UtteranceFrames();
    for (int u = 0; u < 30; u++) {
      int n = 20 + r.nextInt(20);
      int[][] x = new int[3][n];
      for (int f = 0; f < n; f++) {
        x[0][f] = r.nextInt(4);
        x[1][f] = r.nextInt(3) == 0 ? r.nextInt(4) : x[0][f];
        x[2][f] = (x[0][f] + x[1][f]) % 3;
      }
      frames.add(x[0], x[1], x[2]);
    }
    for (int replicates : new int[] {0, 40}) {
      Map<String, Map<String, Double>> measures = frames.estimates(replicates, 9, 0.95)
          .measures(2);
      measures.forEach((q, m) -> {
        String where = q + " with " + replicates + " replicates: " + m.keySet();
        for (String key : m.keySet()) {
          if (key.endsWith("_ci_low") || key.endsWith("_ci_high")) {
            String estimator = key.substring(0, key.lastIndexOf("_ci_"));
            assertTrue(m.containsKey(estimator), key + " without its estimate, " + where);
            assertNotNull(m.get(estimator + "_ci_low"), where);
            assertNotNull(m.get(estimator + "_ci_high"), where);
          }
        }
        assertFalse(m.containsKey("ci_low") || m.containsKey("ci_high"), "unnamed " + where);
        Double low = m.get("corrected_ci_low");
        if (low != null) {
          double c = m.get("corrected");
          assertTrue(low <= c && c <= m.get("corrected_ci_high"), "corrected " + where);
        }
      });
    }
  }
}
