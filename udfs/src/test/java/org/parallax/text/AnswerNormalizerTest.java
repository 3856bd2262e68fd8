package org.parallax.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnswerNormalizerTest {
  /**
   * {input, Search-R1's normalize_answer(input)}, the expected values computed by CPython 3.11
   * with qa_em.py's definition (lower, string.punctuation, re.sub(r"\b(a|an|the)\b", " "),
   * " ".join(s.split())) and pinned: Unicode whitespace, full-width punctuation (not removed),
   * accented capitals, Turkish dotted and dotless I, final sigma, sharp s, combining marks and
   * numbers next to articles (re's \b), format characters, supplementary planes.
   */
  private static final String[][] PYTHON = {
      {"New\u00a0York", "new york"},
      {"New\u2009York", "new york"},
      {"New\u3000York", "new york"},
      {"New\u202fYork\u2007City", "new york city"},
      {"a\u0085b\u001cc\u001fd", "b c d"},
      {"\u00a0The Beatles\u00a0", "beatles"},
      {"the\u00a0beatles", "beatles"},
      {"Tokyo\uff0c Japan\uff01", "tokyo\uff0c japan\uff01"},
      {"\uff08the\uff09 answer", "\uff08 \uff09 answer"},
      {"\u00c9COLE Normale", "\u00e9cole normale"},
      {"\u00c0 la carte", "\u00e0 la carte"},
      {"\u0130stanbul", "i\u0307stanbul"},
      {"D\u0130YARBAKIR", "di\u0307yarbakir"},
      {"I\u0307stanbul", "i\u0307stanbul"},
      {"\u0131zmir", "\u0131zmir"},
      {"\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3", "\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03c5\u03c2"},
      {"\u03a3", "\u03c3"},
      {"\u0391\u03a3 \u0392", "\u03b1\u03c2 \u03b2"},
      {"\u0391\u03a3.", "\u03b1\u03c2"},
      {"\u0391.\u03a3", "\u03b1\u03c2"},
      {"\u03911\u03a3", "\u03b11\u03c3"},
      {"\u0391\u03a3\u0301", "\u03b1\u03c2\u0301"},
      {"\u0391\u03a3\u0301\u0391", "\u03b1\u03c3\u0301\u03b1"},
      {"\u0391'\u03a3", "\u03b1\u03c2"},
      {"Stra\u00dfe", "stra\u00dfe"},
      {"STRASSE", "strasse"},
      {"\u1e9e", "\u00df"},
      {"e\u0301cole", "e\u0301cole"},
      {"the\u0301 end", "\u0301 end"},
      {"\u00e9the end", "\u00e9the end"},
      {"the\u00b2 power", "the\u00b2 power"},
      {"the\u2167 king", "the\u2177 king"},
      {"the_end", "theend"},
      {"a_b the-c", "ab thec"},
      {"An apple", "apple"},
      {"A", ""},
      {"the", ""},
      {"THE The tHe", ""},
      {"th\u00e9", "th\u00e9"},
      {"the\u200bend", "\u200bend"},
      {"the\u00adend", "\u00adend"},
      {"t.he end", "end"},
      {"the. end", "end"},
      {"an' a", ""},
      {"l'the", "lthe"},
      {"O\u2019Neill the", "o\u2019neill"},
      {"the\u2019s", "\u2019s"},
      {"\ud835\udd4f the \ud835\udd4f", "\ud835\udd4f \ud835\udd4f"},
      {"\ud801\udc00\ud801\udc01", "\ud801\udc28\ud801\udc29"},
      {"\u01c5 \u01c4", "\u01c6 \u01c6"},
      {"\u0130\u0307", "i\u0307\u0307"},
      {"\u1f88", "\u1f80"},
      {"  spaced\tout\nline\r\n", "spaced out line"},
      {"", ""},
      {"\u0661\u0662 the \u0663", "\u0661\u0662 \u0663"},
      {"\u4e1c\u4eac the \u5854", "\u4e1c\u4eac \u5854"},
      {"\u0e01the\u0e02", "\u0e01the\u0e02"},
      {"\ud83d\ude00the\ud83d\ude00", "\ud83d\ude00 \ud83d\ude00"},
      {"the\ud83d\ude00", "\ud83d\ude00"},
      {"\u2160 the", "\u2170"},
  };

  @Test
  void equalsPythonCharacterForCharacter() {
    for (String[] c : PYTHON) {
      assertEquals(c[1], AnswerNormalizer.normalize(c[0]), c[0]);
    }
  }

  @Test
  void matchesSearchR1Normalisation() {
    assertEquals("beijing", AnswerNormalizer.normalize("  The   Beijing! "));
    assertEquals("united states", AnswerNormalizer.normalize("the United-States"
        .replace("-", " ")));
    assertEquals("unitedstates", AnswerNormalizer.normalize("United-States"));
    assertEquals("theatre", AnswerNormalizer.normalize("Theatre"), "articles only as words");
    assertEquals("apple", AnswerNormalizer.normalize("an apple."));
    assertEquals("", AnswerNormalizer.normalize("The."));
    // Python's string.punctuation is ASCII: a typographic apostrophe stays.
    assertEquals("o’neill", AnswerNormalizer.normalize("O’Neill"));
  }

  @Test
  void containsAnswerOnTokenBoundaries() {
    assertTrue(AnswerNormalizer.containsAnswer("\"Rome\"\nRome is the capital.", "rome"));
    assertFalse(AnswerNormalizer.containsAnswer("Romeo and Juliet", "Rome"));
    assertTrue(AnswerNormalizer.containsAnswer("born in New York, in 1950", "new york"));
    assertFalse(AnswerNormalizer.containsAnswer("anything", "the"));
  }

  /** The fast many-passage check agrees with the plain definition on random text. */
  @Test
  void containsAnyAnswerEqualsContainsAnswer() {
    String[] words = {"the", "a", "An", "rome", "Romeo", "new", "york", "new-york", "O'Neill",
        "o’neill", "1950", "1,950", "U.S.", "us", "\"x\"", "the-a", "Theatre", "é", "İstanbul",
        "\t", "\n", "  ", ".", "an?", "--"};
    java.util.Random r = new java.util.Random(7);
    int matches = 0;
    for (int i = 0; i < 20_000; i++) {
      StringBuilder p = new StringBuilder();
      for (int w = r.nextInt(12); w > 0; w--) {
        p.append(words[r.nextInt(words.length)]).append(r.nextInt(4) == 0 ? "" : " ");
      }
      java.util.List<String> raw = new java.util.ArrayList<>();
      for (int a = 1 + r.nextInt(3); a > 0; a--) {
        StringBuilder ans = new StringBuilder();
        for (int w = 1 + r.nextInt(2); w > 0; w--) {
          ans.append(words[r.nextInt(words.length)]).append(' ');
        }
        raw.add(ans.toString());
      }
      boolean expected = raw.stream().anyMatch(a -> AnswerNormalizer.containsAnswer(
          p.toString(), a));
      java.util.List<String> normalized = raw.stream().map(AnswerNormalizer::normalize)
          .filter(a -> !a.isEmpty()).toList();
      assertEquals(expected, AnswerNormalizer.containsAnyAnswer(p.toString(), normalized),
          p + " / " + raw);
      matches += expected ? 1 : 0;
    }
    assertTrue(matches > 2_000, "too few matches to compare: " + matches);
  }
}
