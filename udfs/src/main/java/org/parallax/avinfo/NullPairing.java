package org.parallax.avinfo;

import java.util.Map;

/**
 * The shuffled nulls of {@code avinfo stats}. Three take one modality's units, frame by frame,
 * from another utterance while the other two stay together, so that the shuffled modality is
 * independent of the rest and every other dependence is kept; the fourth shuffles V only among
 * runs of frames with the same T, so that A and V become independent given T while the (A,T)
 * and (V,T) tables and the runs stay as they are. Each quantity is compared with the null that
 * breaks exactly the dependence it measures: the pair's MI with the null that shuffles one side
 * of that pair, H(T|X) with the null that shuffles T or X, the co-information I(A;V;T) with V
 * shuffled against (A,T) (the co-information zero), and I(A;V|T) with V shuffled within T.
 */
public enum NullPairing {
  /** A from another utterance, (V, T) kept together. */
  AUDIO_SHUFFLED("A shuffled against (V,T)"),
  /** V from another utterance, (A, T) kept together. */
  VISUAL_SHUFFLED("V shuffled against (A,T)"),
  /** T from another utterance, (A, V) kept together. */
  TEXT_SHUFFLED("T shuffled against (A,V)"),
  /**
   * V of another run with the same T and the same length (a run: frames of one utterance with
   * the same A, V and T), A and T kept: the conditional null of I(A;V|T). Shuffling whole runs
   * keeps the frames' autocorrelation, which sets the plug-in's bias: a frame-level shuffle
   * would make every frame independent and leave the null's bias a third of the estimate's on
   * streams whose units last a few frames.
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

  /**
   * Whether this null takes a modality frame by frame from a partner utterance (the first
   * three); the conditional one permutes runs within T instead.
   */
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
