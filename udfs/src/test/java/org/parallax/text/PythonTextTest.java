package org.parallax.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * Every code point against Python's own tables, written by {@code python-text/make_tables.py}
 * (CPython 3.11, Unicode 14) and pinned: whitespace, {@code re}'s word characters, lower-case
 * mappings and the two classes of the final-sigma rule. Code points the JDK's Unicode 13 does
 * not assign are skipped (Python 3.9/3.10, Search-R1's, have Unicode 13 too), and so is the one
 * character whose class Unicode 14 changed.
 */
class PythonTextTest {
  /** U+1734 HANUNOO SIGN PAMUDPOD: a non-spacing mark in Unicode 13, a spacing mark in 14. */
  private static final int CHANGED_IN_UNICODE_14 = 0x1734;

  @Test
  void whitespaceIsPythonsIsspace() throws IOException {
    assertEveryCodePoint("whitespace.txt", PythonText::isSpace);
  }

  @Test
  void wordCharactersArePythonsReWord() throws IOException {
    assertEveryCodePoint("word.txt", PythonText::isWord);
  }

  @Test
  void finalSigmaClassesArePythons() throws IOException {
    assertEveryCodePoint("case_ignorable.txt", PythonText::isCaseIgnorable);
    assertEveryCodePoint("cased.txt", c -> !PythonText.isCaseIgnorable(c)
        && PythonText.isCased(c));
  }

  @Test
  void lowerOfEveryCodePointIsPythons() throws IOException {
    Map<Integer, String> lower = new HashMap<>();
    for (String line : lines("lower.txt")) {
      String[] f = line.split(" ");
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < f.length; i++) {
        sb.appendCodePoint(Integer.parseInt(f[i], 16));
      }
      lower.put(Integer.parseInt(f[0], 16), sb.toString());
    }
    assertTrue(lower.size() > 1400, "mappings read: " + lower.size());
    List<String> wrong = new ArrayList<>();
    for (int c = 0; c < Character.MAX_CODE_POINT + 1; c++) {
      if (compared(c)) {
        String s = new String(Character.toChars(c));
        if (!lower.getOrDefault(c, s).equals(PythonText.lower(s))) {
          wrong.add(Integer.toHexString(c));
        }
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void splitAndStripAsPython() {
    // " ".join(s.split()) and s.strip() of each s, computed by Python 3.11.
    String[][] cases = {
      {" \u00a0a\u2007b\u202fc\u0085d\u001ce\u3000f\u200bg\t", "a b c d e f\u200bg",
          "a\u2007b\u202fc\u0085d\u001ce\u3000f\u200bg"},
      {"\u00a0\u00a0", "", ""},
      {"x\ud83d\ude00 \u2028y", "x\ud83d\ude00 y", "x\ud83d\ude00 \u2028y"},
      {"", "", ""},
    };
    for (String[] c : cases) {
      assertEquals(c[1], PythonText.joinWords(c[0]), c[0]);
      assertEquals(c[2], PythonText.strip(c[0]), c[0]);
    }
  }

  @Test
  void lowerInContextAsPython() {
    // s.lower() by Python 3.11; Java's toLowerCase differs on the first.
    String[][] cases = {
      {"\u03911\u03a3", "\u03b11\u03c3"},
      {"\u0391\u03a3\u0301\u0391", "\u03b1\u03c3\u0301\u03b1"},
      {"\u0391\u03a3 \u0392", "\u03b1\u03c2 \u03b2"},
      {"\u0391.\u03a3", "\u03b1.\u03c2"},
      {"\u0391'\u03a3", "\u03b1'\u03c2"},
      {"\u03a3", "\u03c3"},
      {"D\u0130YARBAKIR", "di\u0307yarbakir"},
      {"\ud801\udc00\ud801\udc01", "\ud801\udc28\ud801\udc29"},
    };
    for (String[] c : cases) {
      assertEquals(c[1], PythonText.lower(c[0]), c[0]);
    }
    assertEquals("\u03b11\u03c2", "\u03911\u03a3".toLowerCase(java.util.Locale.ROOT),
        "Java's word-boundary rule, which PythonText does not follow");
  }

  private static boolean compared(int c) {
    return Character.isDefined(c) && Character.getType(c) != Character.SURROGATE
        && c != CHANGED_IN_UNICODE_14;
  }

  private static void assertEveryCodePoint(String table, IntPredicate actual) throws IOException {
    BitSet expected = new BitSet();
    for (String line : lines(table)) {
      String[] r = line.split("-");
      int from = Integer.parseInt(r[0], 16);
      expected.set(from, (r.length > 1 ? Integer.parseInt(r[1], 16) : from) + 1);
    }
    assertTrue(expected.cardinality() > 20, table + ": " + expected.cardinality());
    List<String> wrong = new ArrayList<>();
    for (int c = 0; c < Character.MAX_CODE_POINT + 1; c++) {
      if (compared(c) && expected.get(c) != actual.test(c)) {
        wrong.add(Integer.toHexString(c));
      }
    }
    assertEquals(List.of(), wrong, table);
  }

  private static List<String> lines(String table) throws IOException {
    try (InputStream in = PythonTextTest.class.getResourceAsStream("/python-text/" + table)) {
      List<String> out = new ArrayList<>();
      for (String l : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (!l.isBlank() && !l.startsWith("#")) {
          out.add(l.strip());
        }
      }
      return out;
    }
  }
}
