package org.parallax.text;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The answer normalisation of Search-R1's evaluation ({@code normalize_answer}, after SQuAD):
 * lower-case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace. Pure and
 * thread-safe; the retrieval and rollout metrics use it, and {@code SqlAnswerNormalizer} mirrors
 * it in SQL expressions.
 */
public final class AnswerNormalizer {
  /** Python's {@code string.punctuation}. */
  public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  /** A regex character class of {@link #PUNCTUATION}, every character escaped. */
  public static final String PUNCTUATION_CLASS = punctuationClass();
  private static final Pattern PUNCT = Pattern.compile(PUNCTUATION_CLASS);
  private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private AnswerNormalizer() {}

  private static String punctuationClass() {
    StringBuilder sb = new StringBuilder("[");
    for (char c : PUNCTUATION.toCharArray()) {
      sb.append('\\').append(c);
    }
    return sb.append(']').toString();
  }

  public static String normalize(String s) {
    if (s == null) {
      return "";
    }
    String t = s.toLowerCase(Locale.ROOT);
    t = PUNCT.matcher(t).replaceAll("");
    t = ARTICLES.matcher(t).replaceAll(" ");
    return SPACE.matcher(t).replaceAll(" ").trim();
  }

  /**
   * True when the normalised {@code answer} occurs in the normalised {@code passage} as whole
   * tokens (so "rome" is not found in "romeo"); an answer that normalises to nothing never does.
   */
  public static boolean containsAnswer(String passage, String answer) {
    String a = normalize(answer);
    return !a.isEmpty() && (" " + normalize(passage) + " ").contains(" " + a + " ");
  }
}
