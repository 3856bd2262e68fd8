package org.parallax.avinfo;

import java.io.Serializable;

/**
 * A sum of doubles held exactly, as a multiple of the least subnormal (2^-1074) in 32-bit words,
 * so it does not depend on the order of adding nor on how partial sums are grouped; {@link #value}
 * rounds it once to the nearest double. Not thread-safe.
 */
final class ExactSum implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Words from 2^-1074: the largest double's top bit is bit 2097; the last words take carries. */
  private static final int WORDS = 68;
  private static final long LOW = 0xFFFFFFFFL;
  /** Adds between carry propagations: each moves a word by less than 2^32. */
  private static final int ROOM = 1 << 30;
  private final long[] words = new long[WORDS];
  private int pending;
  /** The lowest word ever added to: the words below it are 0. */
  private int low = WORDS;
  /** The sum of the infinities and NaNs added (0 without any). */
  private double special;

  void add(double x) {
    if (x == 0) {
      return;
    }
    if (!Double.isFinite(x)) {
      special += x;
      return;
    }
    long bits = Double.doubleToRawLongBits(x);
    int exponent = (int) (bits >>> 52) & 0x7FF;
    long mantissa = bits & 0xFFFFFFFFFFFFFL;
    if (exponent == 0) {
      exponent = 1;
    } else {
      mantissa |= 1L << 52;
    }
    // |x| = mantissa * 2^(p - 1074): the mantissa shifted by p & 31 spans three words.
    int p = exponent - 1;
    int w = p >>> 5;
    long shifted = mantissa << (p & 31);
    long high = (mantissa >>> 1) >>> (63 - (p & 31));
    if (bits < 0) {
      words[w] -= shifted & LOW;
      words[w + 1] -= shifted >>> 32;
      words[w + 2] -= high;
    } else {
      words[w] += shifted & LOW;
      words[w + 1] += shifted >>> 32;
      words[w + 2] += high;
    }
    low = Math.min(low, w);
    if (++pending == ROOM) {
      carry(words, low);
      pending = 0;
    }
  }

  /** Adds another sum. */
  void add(ExactSum other) {
    carry(other.words, other.low);
    carry(words, low);
    low = Math.min(low, other.low);
    for (int i = low; i < WORDS; i++) {
      words[i] += other.words[i];
    }
    carry(words, low);
    pending = 0;
    special += other.special;
  }

  /** Sets this sum to {@code other}'s. */
  void set(ExactSum other) {
    System.arraycopy(other.words, 0, words, 0, WORDS);
    pending = other.pending;
    low = other.low;
    special = other.special;
  }

  /** The sum rounded to the nearest double (ties to even, but for subnormal results). */
  double value() {
    if (special != 0) {
      return special;
    }
    carry(words, low);
    pending = 0;
    boolean negative = words[WORDS - 1] < 0;
    long[] m = words;
    if (negative) {
      m = new long[WORDS];
      for (int i = low; i < WORDS; i++) {
        m[i] = -words[i];
      }
      carry(m, low);
    }
    int top = WORDS - 1;
    while (top >= 0 && m[top] == 0) {
      top--;
    }
    if (top < 0) {
      return 0;
    }
    // The 63 bits from the top one, with a sticky bit for any below: one rounding to 53.
    int lsb = 32 * top + 64 - Long.numberOfLeadingZeros(m[top]) - 63;
    long x = 0;
    boolean sticky = false;
    for (int i = top; i >= low; i--) {
      int pos = 32 * i - lsb;
      if (pos >= 0) {
        x |= m[i] << pos;
      } else if (pos > -32) {
        x |= m[i] >>> -pos;
        sticky |= (m[i] & ((1L << -pos) - 1)) != 0;
      } else {
        sticky |= m[i] != 0;
      }
    }
    double out = Math.scalb((double) (sticky ? x | 1 : x), lsb - 1074);
    return negative ? -out : out;
  }

  /** Propagates carries from word {@code from}: each but the last in [0, 2^32), the last signed. */
  private static void carry(long[] w, int from) {
    for (int i = from; i < WORDS - 1; i++) {
      long c = w[i] >> 32;
      w[i] -= c << 32;
      w[i + 1] += c;
    }
  }
}
