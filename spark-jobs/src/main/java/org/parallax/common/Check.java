package org.parallax.common;

/**
 * Checks of option values that fail with a message naming the one option that is wrong and the
 * value it was given, as {@link IllegalArgumentException}s, which the CLI reports as bad usage
 * (exit 2) before any Spark work starts.
 */
public final class Check {
  private Check() {}

  /** {@code value >= min}. */
  public static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", got " + value);
    }
  }

  /** {@code value > 0}. */
  public static void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be a positive number, got " + value);
    }
  }

  /** {@code value >= 0}. */
  public static void notNegative(String option, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(option + " must be zero or more, got " + value);
    }
  }

  /** {@code low < value < high}. */
  public static void between(String option, double value, double low, double high) {
    if (!(value > low && value < high)) {
      throw new IllegalArgumentException(
          option + " must lie strictly between " + low + " and " + high + ", got " + value);
    }
  }

  /** {@code low < value <= high}. */
  public static void aboveUpTo(String option, double value, double low, double high) {
    if (!(value > low && value <= high)) {
      throw new IllegalArgumentException(
          option + " must lie in (" + low + ", " + high + "], got " + value);
    }
  }

  /** {@code low <= value <= high}. */
  public static void within(String option, long value, long low, long high) {
    if (value < low || value > high) {
      throw new IllegalArgumentException(
          option + " must lie in [" + low + ", " + high + "], got " + value);
    }
  }
}
