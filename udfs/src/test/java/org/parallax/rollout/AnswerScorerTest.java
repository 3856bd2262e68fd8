package org.parallax.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** em, subem and F1 of one prediction and one gold answer against values pinned from Python. */
class AnswerScorerTest {
  /**
   * {prediction, gold, em_check, subem_check, F1}: Search-R1's qa_em.em_check and subem_check and
   * SQuAD's f1_score (Counter intersection of normalize_answer(...).split() tokens), computed by
   * CPython 3.11 and pinned.
   */
  private static final Object[][] PYTHON = {
      {"New York City", "new\u00a0york", 0, 1, 0.8},
      {"the\u00a0\u00a0New York", "New York", 1, 1, 1.0},
      {"\u0130stanbul", "i\u0307stanbul", 1, 1, 1.0},
      {"\u0130stanbul", "istanbul", 0, 0, 0.0},
      {"\u00c9cole", "\u00e9cole", 1, 1, 1.0},
      {"Stra\u00dfe", "strasse", 0, 0, 0.0},
      {"\u039f\u0394\u03a5\u03a3\u03a3\u0395\u03a5\u03a3", "\u03bf\u03b4\u03c5\u03c3\u03c3\u03b5\u03c5\u03c2", 1, 1, 1.0},
      {"Tokyo\uff0c Japan", "tokyo japan", 0, 0, 0.5},
      {"Tokyo, Japan", "tokyo japan", 1, 1, 1.0},
      {"the the cat", "cat cat", 0, 0, 0.6666666666666666},
      {"Paris", "the", 0, 1, 0.0},
      {"x", "", 0, 1, 0.0},
      {"", "x", 0, 0, 0.0},
      {"New\u2009York\u3000Knicks", "new york knicks", 1, 1, 1.0},
      {"a b c d", "b c e", 0, 0, 0.6666666666666666},
      {"\u00a0", "a", 1, 1, 0.0},
  };

  @Test
  void emSubemAndF1EqualPython() {
    for (Object[] c : PYTHON) {
      String prediction = (String) c[0];
      List<String> gold = List.of((String) c[1]);
      String what = prediction + " / " + c[1];
      assertEquals((int) c[2] == 1, AnswerScorer.exactMatch(prediction, gold), what);
      assertEquals((int) c[3] == 1, AnswerScorer.substringMatch(prediction, gold), what);
      assertEquals((double) c[4], AnswerScorer.f1(prediction, gold), 1e-12, what);
    }
  }
}
