package org.parallax.text;

/**
 * The parts of Python 3's {@code str} and {@code re} that Search-R1's text rules use, on Java
 * strings, character for character: {@code str.lower()} (full case mapping, with the
 * final-sigma rule as CPython applies it), {@code str.isspace()} (what {@code str.split()} and
 * {@code str.strip()} split and strip on: more than Java's {@code \s} and
 * {@link String#strip()}, e.g. U+00A0, U+2007, U+202F, U+0085) and the word characters of
 * {@code re}'s Unicode {@code \w} (what {@code \b} looks at: letters, every kind of number,
 * {@code _}; not combining marks). The character properties are the JDK's (Unicode 13 on Java
 * 17, the version of Python 3.9/3.10). Pure and thread-safe.
 */
public final class PythonText {
  private static final char CAPITAL_SIGMA = '\u03a3';

  private PythonText() {}

  /** Python's {@code str.isspace()} of one code point. */
  public static boolean isSpace(int cp) {
    if (cp < 128) {
      return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1c && cp <= 0x1f);
    }
    if (Character.getType(cp) == Character.SPACE_SEPARATOR) {
      return true;
    }
    byte d = Character.getDirectionality(cp);
    return d == Character.DIRECTIONALITY_WHITESPACE
        || d == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
        || d == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
  }

  /** Whether {@code cp} matches {@code \w} of Python's {@code re} on a {@code str}. */
  public static boolean isWord(int cp) {
    if (cp < 128) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9')
          || cp == '_';
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER, Character.OTHER_NUMBER:
        return true;
      default:
        return false;
    }
  }

  /** Python's {@code str.split()}: the runs of non-whitespace, joined by single spaces. */
  public static String joinWords(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean pending = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (isSpace(cp)) {
        pending = true;
      } else {
        if (pending && out.length() > 0) {
          out.append(' ');
        }
        pending = false;
        out.append(s, i, i + n);
      }
      i += n;
    }
    return out.toString();
  }

  /** Python's {@code str.strip()}. */
  public static String strip(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && isSpace(s.codePointAt(from))) {
      from += Character.charCount(s.codePointAt(from));
    }
    while (to > from && isSpace(s.codePointBefore(to))) {
      to -= Character.charCount(s.codePointBefore(to));
    }
    return s.substring(from, to);
  }

  /**
   * Python's {@code str.lower()}: each code point's full lower-case mapping (U+0130 becomes
   * {@code i} + U+0307), and a capital sigma becomes final sigma when a cased character precedes
   * it and none follows, case-ignorable characters skipped (CPython's rule; Java's
   * {@link String#toLowerCase} looks within word boundaries instead, so that "Α" + "1" +
   * "Σ" ends in a final sigma there and not in Python).
   */
  public static String lower(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      int low = cp == CAPITAL_SIGMA ? (finalSigma(s, i) ? '\u03c2' : '\u03c3')
          : Character.toLowerCase(cp);
      if (low != cp || cp == 0x130) {
        if (out == null) {
          out = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        if (cp == 0x130) {
          out.append("i\u0307");
        } else {
          out.appendCodePoint(low);
        }
      } else if (out != null) {
        out.append(s, i, i + n);
      }
      i += n;
    }
    return out == null ? s : out.toString();
  }

  private static boolean finalSigma(String s, int at) {
    int j = at;
    int before = -1;
    while (j > 0) {
      before = s.codePointBefore(j);
      j -= Character.charCount(before);
      if (!isCaseIgnorable(before)) {
        break;
      }
      before = -1;
    }
    if (before < 0 || !isCased(before)) {
      return false;
    }
    for (int k = at + 1; k < s.length(); ) {
      int after = s.codePointAt(k);
      if (!isCaseIgnorable(after)) {
        return !isCased(after);
      }
      k += Character.charCount(after);
    }
    return true;
  }

  /** Unicode's Cased: lower-case, upper-case or title-case (with the Other_ properties). */
  static boolean isCased(int cp) {
    return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
  }

  /** Unicode's Case_Ignorable: marks, format characters, modifiers, and word-inner punctuation. */
  static boolean isCaseIgnorable(int cp) {
    switch (Character.getType(cp)) {
      case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT,
          Character.MODIFIER_LETTER, Character.MODIFIER_SYMBOL:
        return true;
      default:
        return switch (cp) {
          // Word_Break MidLetter, MidNumLet and Single_Quote.
          case 0x27, 0x2e, 0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027,
              0xfe13, 0xfe52, 0xfe55, 0xff07, 0xff0e, 0xff1a -> true;
          default -> false;
        };
    }
  }
}
