package org.parallax.avinfo;

/**
 * The permutation p-value of JIDT and IDTxl, {@code (1 + #{null >= observed}) / (N + 1)},
 * one-sided; a null within a relative {@link #TIE} of the observed value counts as reaching it, so
 * that sums of the same terms in another order tie.
 */
public final class PermutationTest {
  /** Relative tolerance under which a null value ties with the observed one. */
  static final double TIE = 1e-12;

  private PermutationTest() {}

  /** Whether {@code nul} is at least {@code observed} (up to {@link #TIE}). */
  public static boolean atLeast(double nul, double observed) {
    return nul >= observed - TIE * Math.max(1, Math.abs(observed));
  }

  /** The p-value of {@code atLeast} null draws at least the observed value among {@code n}. */
  public static double pValue(long atLeast, long n) {
    if (n < 1 || atLeast < 0 || atLeast > n) {
      throw new IllegalArgumentException("a permutation p-value needs 0 <= #{null >= observed} "
          + "<= N and N >= 1, got " + atLeast + " of " + n);
    }
    return (1.0 + atLeast) / (n + 1.0);
  }

  /** The p-value of {@code observed} against the null draws {@code nulls}. */
  public static double pValue(double observed, double[] nulls) {
    long at = 0;
    for (double x : nulls) {
      at += atLeast(x, observed) ? 1 : 0;
    }
    return pValue(at, nulls.length);
  }
}
