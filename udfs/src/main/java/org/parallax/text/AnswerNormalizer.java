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

  /**
   * True when one of {@code answers}, each already normalised and non-empty, occurs in the
   * normalised {@code passage} as whole tokens: {@link #containsAnswer} for many passages. A
   * passage is normalised (three regular expressions) only when it can match: every token of an
   * answer must then occur in the lower-cased passage with punctuation removed, since articles
   * and spaces only ever split that text, never join it.
   */
  public static boolean containsAnyAnswer(String passage, java.util.List<String> answers) {
    if (passage == null || answers.isEmpty()) {
      return false;
    }
    String stripped = lowerWithoutPunctuation(passage);
    String normalized = null;
    for (String a : answers) {
      if (!allTokensIn(a, stripped)) {
        continue;
      }
      if (normalized == null) {
        normalized = " " + normalize(passage) + " ";
      }
      if (normalized.contains(" " + a + " ")) {
        return true;
      }
    }
    return false;
  }

  private static boolean allTokensIn(String answer, String text) {
    for (int from = 0; from < answer.length(); ) {
      int space = answer.indexOf(' ', from);
      int to = space < 0 ? answer.length() : space;
      if (to > from && !text.contains(answer.substring(from, to))) {
        return false;
      }
      from = to + 1;
    }
    return true;
  }

  /** {@code s} lower-cased ({@link Locale#ROOT}) without {@link #PUNCTUATION}, in one pass. */
  private static String lowerWithoutPunctuation(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128) {
        return stripPunctuation(s.toLowerCase(Locale.ROOT));
      }
      if (!IS_PUNCTUATION[c]) {
        sb.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
      }
    }
    return sb.toString();
  }

  private static final boolean[] IS_PUNCTUATION = new boolean[128];

  static {
    for (char c : PUNCTUATION.toCharArray()) {
      IS_PUNCTUATION[c] = true;
    }
  }

  private static String stripPunctuation(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128 || !IS_PUNCTUATION[c]) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
