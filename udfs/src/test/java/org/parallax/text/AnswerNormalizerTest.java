package org.parallax.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnswerNormalizerTest {
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
