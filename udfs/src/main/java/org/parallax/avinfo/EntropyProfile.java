package org.parallax.avinfo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The seven entropies of three discrete variables A, V, T and the information quantities they
 * determine, among them the co-information I(A;V;T) (negative under synergy, as for XOR).
 */
public record EntropyProfile(double hA, double hV, double hT, double hAV, double hAT, double hVT,
    double hAVT) {

  /** The profile of a joint pmf {@code p[a][v][t]}, in the given base. */
  public static EntropyProfile of(double[][][] p, double base) {
    return new EntropyProfile(
        InformationMeasures.entropy(InformationMeasures.marginal(p, true, false, false), base),
        InformationMeasures.entropy(InformationMeasures.marginal(p, false, true, false), base),
        InformationMeasures.entropy(InformationMeasures.marginal(p, false, false, true), base),
        InformationMeasures.entropy(InformationMeasures.marginal(p, true, true, false), base),
        InformationMeasures.entropy(InformationMeasures.marginal(p, true, false, true), base),
        InformationMeasures.entropy(InformationMeasures.marginal(p, false, true, true), base),
        InformationMeasures.entropy(InformationMeasures.marginal(p, true, true, true), base));
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

  /** Every quantity by its conventional name, for reports and truth files. */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("H(A)", hA);
    m.put("H(V)", hV);
    m.put("H(T)", hT);
    m.put("H(A,V)", hAV);
    m.put("H(A,T)", hAT);
    m.put("H(V,T)", hVT);
    m.put("H(A,V,T)", hAVT);
    m.put("I(A;V)", miAV());
    m.put("I(A;T)", miAT());
    m.put("I(V;T)", miVT());
    m.put("H(T|V)", hTgivenV());
    m.put("H(T|A)", hTgivenA());
    m.put("H(T|A,V)", hTgivenAV());
    m.put("I(A;V|T)", miAVgivenT());
    m.put("I(A;V;T)", coInformation());
    return m;
  }
}
