package org.parallax.avinfo;

import java.util.Map;

/**
 * The three shuffled nulls of {@code avinfo stats}: one modality's units taken, frame by frame,
 * from another utterance while the other two stay together, so that the shuffled modality is
 * independent of the rest and every other dependence is kept. Each quantity is compared with
 * the null that breaks exactly the dependence it measures: the pair's MI with the null that
 * shuffles one side of that pair, H(T|X) with the null that shuffles T or X, and the conditional
 * and three-way quantities I(A;V|T) and I(A;V;T) with the null that shuffles V while A keeps its
 * conditioning partner T (A and V independent given T, and the co-information zero).
 */
public enum NullPairing {
  /** A from another utterance, (V, T) kept together. */
  AUDIO_SHUFFLED("A shuffled against (V,T)"),
  /** V from another utterance, (A, T) kept together. */
  VISUAL_SHUFFLED("V shuffled against (A,T)"),
  /** T from another utterance, (A, V) kept together. */
  TEXT_SHUFFLED("T shuffled against (A,V)");

  private static final Map<String, NullPairing> FOR = Map.ofEntries(
      Map.entry("H(A)", AUDIO_SHUFFLED), Map.entry("H(V)", VISUAL_SHUFFLED),
      Map.entry("H(T)", TEXT_SHUFFLED), Map.entry("H(A,V)", VISUAL_SHUFFLED),
      Map.entry("H(A,T)", AUDIO_SHUFFLED), Map.entry("H(V,T)", TEXT_SHUFFLED),
      Map.entry("H(A,V,T)", TEXT_SHUFFLED), Map.entry("I(A;V)", VISUAL_SHUFFLED),
      Map.entry("I(A;T)", AUDIO_SHUFFLED), Map.entry("I(V;T)", TEXT_SHUFFLED),
      Map.entry("H(T|V)", TEXT_SHUFFLED), Map.entry("H(T|A)", AUDIO_SHUFFLED),
      Map.entry("H(T|A,V)", TEXT_SHUFFLED), Map.entry("I(A;V|T)", VISUAL_SHUFFLED),
      Map.entry("I(A;V;T)", VISUAL_SHUFFLED));

  private final String description;

  NullPairing(String description) {
    this.description = description;
  }

  /** What is shuffled against what, for reports. */
  public String description() {
    return description;
  }

  /** The null a quantity of {@link EntropyProfile#asMap()} is compared with. */
  public static NullPairing of(String quantity) {
    NullPairing p = FOR.get(quantity);
    if (p == null) {
      throw new IllegalArgumentException("no null pairing for quantity " + quantity);
    }
    return p;
  }

  /** Whether the quantity is zero under its null (an information, not an entropy). */
  public static boolean vanishesUnderNull(String quantity) {
    return quantity.startsWith("I(");
  }
}
