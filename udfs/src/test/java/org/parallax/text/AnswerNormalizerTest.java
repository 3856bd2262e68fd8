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
}
