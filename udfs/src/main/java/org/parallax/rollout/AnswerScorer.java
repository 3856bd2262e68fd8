package org.parallax.rollout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parallax.text.AnswerNormalizer;

/**
 * The scores of a Search-R1 response: the last {@code <answer>} element is the prediction; exact
 * match and substring exact match against any gold answer after normalisation (Search-R1's
 * {@code em_check} and {@code subem_check}); SQuAD token F1, best over the gold answers. Pure.
 */
public final class AnswerScorer {
  private static final Pattern ANSWER = Pattern.compile("<answer>(.*?)</answer>", Pattern.DOTALL);

  private AnswerScorer() {}

  /** The content of the last complete {@code <answer>} element, stripped, or null if none. */
  public static String lastAnswer(String response) {
    Matcher m = ANSWER.matcher(response);
    String last = null;
    while (m.find()) {
      last = m.group(1).strip();
    }
    return last;
  }

  public static boolean exactMatch(String prediction, List<String> golds) {
    if (prediction == null) {
      return false;
    }
    String p = AnswerNormalizer.normalize(prediction);
    return golds.stream().anyMatch(g -> AnswerNormalizer.normalize(g).equals(p));
  }

  /** A normalised gold answer occurs in the normalised prediction (Search-R1's subem_check). */
  public static boolean substringMatch(String prediction, List<String> golds) {
    if (prediction == null) {
      return false;
    }
    String p = AnswerNormalizer.normalize(prediction);
    return golds.stream().anyMatch(g -> p.contains(AnswerNormalizer.normalize(g)));
  }

  public static double f1(String prediction, List<String> golds) {
    if (prediction == null) {
      return 0;
    }
    double best = 0;
    for (String g : golds) {
      best = Math.max(best, f1(AnswerNormalizer.normalize(prediction).split(" "),
          AnswerNormalizer.normalize(g).split(" ")));
    }
    return best;
  }

  private static double f1(String[] pred, String[] gold) {
    if (pred.length == 1 && pred[0].isEmpty() || gold.length == 1 && gold[0].isEmpty()) {
      return 0;
    }
    Map<String, Integer> counts = new HashMap<>();
    for (String t : gold) {
      counts.merge(t, 1, Integer::sum);
    }
    int common = 0;
    for (String t : pred) {
      Integer c = counts.get(t);
      if (c != null && c > 0) {
        common++;
        counts.put(t, c - 1);
      }
    }
    if (common == 0) {
      return 0;
    }
    double precision = (double) common / pred.length;
    double recall = (double) common / gold.length;
    return 2 * precision * recall / (precision + recall);
  }
}
