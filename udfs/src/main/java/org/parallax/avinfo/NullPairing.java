package org.parallax.avinfo;

import java.util.Map;

/**
 * The shuffled nulls of {@code avinfo stats} and the null each quantity is compared with ({@link
 * #of}): three take one modality, frame by frame, from a partner utterance; the fourth permutes V
 * among runs with the same T. Why each pairing: docs/avinfo.md.
 */
public enum NullPairing {
  /** A from another utterance, (V, T) kept together. */
  AUDIO_SHUFFLED("A shuffled against (V,T)"),
  /** V from another utterance, (A, T) kept together. */
  VISUAL_SHUFFLED("V shuffled against (A,T)"),
  /** T from another utterance, (A, V) kept together. */
  TEXT_SHUFFLED("T shuffled against (A,V)"),
  /**
   * V of another run (frames of one utterance with the same A, V and T) with the same T and length,
   * A and T kept: the conditional null of I(A;V|T); whole runs keep the frames' autocorrelation.
   */
  VISUAL_SHUFFLED_WITHIN_TEXT("V shuffled within T (runs of frames kept) against (A,T)");

  private static final Map<String, NullPairing> FOR = Map.ofEntries(
      Map.entry("H(A)", AUDIO_SHUFFLED), Map.entry("H(V)", VISUAL_SHUFFLED),
      Map.entry("H(T)", TEXT_SHUFFLED), Map.entry("H(A,V)", VISUAL_SHUFFLED),
      Map.entry("H(A,T)", AUDIO_SHUFFLED), Map.entry("H(V,T)", TEXT_SHUFFLED),
      Map.entry("H(A,V,T)", TEXT_SHUFFLED), Map.entry("I(A;V)", VISUAL_SHUFFLED),
      Map.entry("I(A;T)", AUDIO_SHUFFLED), Map.entry("I(V;T)", TEXT_SHUFFLED),
      Map.entry("H(T|V)", TEXT_SHUFFLED), Map.entry("H(T|A)", AUDIO_SHUFFLED),
      Map.entry("H(T|A,V)", TEXT_SHUFFLED), Map.entry("I(A;V|T)", VISUAL_SHUFFLED_WITHIN_TEXT),
      Map.entry("I(A;V;T)", VISUAL_SHUFFLED));

  private final String description;

  NullPairing(String description) {
    this.description = description;
  }

  /** What is shuffled against what, for reports. */
  public String description() {
    return description;
  }

  /** Whether this null takes a modality frame by frame from a partner utterance. */
  public boolean acrossUtterances() {
    return this != VISUAL_SHUFFLED_WITHIN_TEXT;
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
