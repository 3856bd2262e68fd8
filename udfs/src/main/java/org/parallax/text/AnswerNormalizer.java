package org.parallax.text;

/**
 * The answer normalisation of Search-R1's evaluation ({@code qa_em.normalize_answer}, after
 * SQuAD), character for character as Python computes it: {@code str.lower()}, drop the ASCII
 * characters of {@code string.punctuation}, replace each word {@code a}, {@code an} or
 * {@code the} by a space ({@code re.sub(r"\b(a|an|the)\b", " ", ...)}, words and {@code \b} in
 * {@code re}'s Unicode sense), then {@code " ".join(text.split())} (every Unicode whitespace);
 * the Python pieces are {@link PythonText}'s. Pure and thread-safe; the retrieval and rollout
 * metrics use it, and {@code AnswerRecall.normalize} applies it to a Spark column.
 */
public final class AnswerNormalizer {
  /** Python's {@code string.punctuation}. */
  public static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private AnswerNormalizer() {}

  public static String normalize(String s) {
    if (s == null) {
      return "";
    }
    return withoutArticlesAndSpaces(stripPunctuation(PythonText.lower(s)));
  }

  /**
   * The last two steps in one pass: each maximal run of word characters is a word, an article
   * among them becomes a space; runs of whitespace become one space, none at the ends.
   */
  private static String withoutArticlesAndSpaces(String t) {
    StringBuilder out = new StringBuilder(t.length());
    boolean pending = false;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      int end = i + Character.charCount(cp);
      if (PythonText.isSpace(cp)) {
        pending = true;
        i = end;
        continue;
      }
      if (PythonText.isWord(cp)) {
        while (end < t.length() && PythonText.isWord(t.codePointAt(end))) {
          end += Character.charCount(t.codePointAt(end));
        }
        if (isArticle(t, i, end)) {
          pending = true;
          i = end;
          continue;
        }
      }
      if (pending && out.length() > 0) {
        out.append(' ');
      }
      pending = false;
      out.append(t, i, end);
      i = end;
    }
    return out.toString();
  }

  private static boolean isArticle(String t, int from, int to) {
    return switch (to - from) {
      case 1 -> t.charAt(from) == 'a';
      case 2 -> t.startsWith("an", from);
      case 3 -> t.startsWith("the", from);
      default -> false;
    };
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

  /** {@code s} lower-cased as Python does, without {@link #PUNCTUATION}, in one pass. */
  private static String lowerWithoutPunctuation(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 128) {
        return stripPunctuation(PythonText.lower(s));
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
