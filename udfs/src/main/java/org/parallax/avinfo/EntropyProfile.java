package org.parallax.avinfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seven entropies of three discrete variables A, V, T and the information quantities they
 * determine, among them the co-information I(A;V;T) (negative under synergy, as for XOR).
 */
public record EntropyProfile(double hA, double hV, double hT, double hAV, double hAT, double hVT,
    double hAVT) {
  /** The quantities' names, in the order of {@link #values()}. */
  public static final List<String> NAMES = List.of("H(A)", "H(V)", "H(T)", "H(A,V)", "H(A,T)",
      "H(V,T)", "H(A,V,T)", "I(A;V)", "I(A;T)", "I(V;T)", "H(T|V)", "H(T|A)", "H(T|A,V)",
      "I(A;V|T)", "I(A;V;T)");

  /** The profile of a joint pmf {@code p[a][v][t]}, in the given base. */
  public static EntropyProfile of(double[][][] p, double base) {
    double[] h = new double[7];
    for (int i = 0; i < 7; i++) {
      boolean[] keep = JointCounts.KEEPS[i];
      h[i] = InformationMeasures.entropy(InformationMeasures.marginal(p, keep[0], keep[1],
          keep[2]), base);
    }
    return new EntropyProfile(h[0], h[1], h[2], h[3], h[4], h[5], h[6]);
  }

  public double miAV() {
    return hA + hV - hAV;
  }

  public double miAT() {
    return hA + hT - hAT;
  }

  public double miVT() {
    return hV + hT - hVT;
  }

  /** H(T | V). */
  public double hTgivenV() {
    return hVT - hV;
  }

  /** H(T | A). */
  public double hTgivenA() {
    return hAT - hA;
  }

  /** H(T | A, V). */
  public double hTgivenAV() {
    return hAVT - hAV;
  }

  /** I(A; V | T). */
  public double miAVgivenT() {
    return hAT + hVT - hT - hAVT;
  }

  /** Co-information I(A; V; T) = I(A; V) - I(A; V | T). */
  public double coInformation() {
    return hA + hV + hT - hAV - hAT - hVT + hAVT;
  }

  /**
   * Each quantity of {@link #asMap()} as coefficients of the seven entropies, same keys and order.
   */
  public static Map<String, double[]> coefficients() {
    Map<String, double[]> c = new LinkedHashMap<>();
    for (int i = 0; i < 7; i++) {
      double[] unit = new double[7];
      unit[i] = 1;
      EntropyProfile e = new EntropyProfile(unit[0], unit[1], unit[2], unit[3], unit[4], unit[5],
          unit[6]);
      int entropy = i;
      e.asMap().forEach((q, v) -> c.computeIfAbsent(q, x -> new double[7])[entropy] = v);
    }
    return c;
  }

  /** The quantities of {@link #asMap()}, in its order, without building the map. */
  public double[] values() {
    return new double[] {hA, hV, hT, hAV, hAT, hVT, hAVT, miAV(), miAT(), miVT(), hTgivenV(),
      hTgivenA(), hTgivenAV(), miAVgivenT(), coInformation()};
  }

  /** Every quantity by its conventional name ({@link #NAMES}), for reports and truth files. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    double[] v = values();
    for (int i = 0; i < v.length; i++) {
      m.put(NAMES.get(i), v[i]);
    }
    return m;
  }
}
