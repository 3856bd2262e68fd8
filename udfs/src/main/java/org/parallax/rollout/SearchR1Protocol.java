package org.parallax.rollout;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parallax.text.PythonText;

/**
 * The text protocol of Search-R1's rollouts, as its reference implementation writes it: the
 * instruction prompt, the rule that cuts a generated turn, the action a turn takes, the
 * {@code <information>} block appended after a search and the message after an invalid action.
 * Pure and thread-safe.
 */
public final class SearchR1Protocol {
  public static final String INSTRUCTION = "Answer the given question. You must conduct "
      + "reasoning inside <think> and </think> first every time you get new information. After "
      + "reasoning, if you find you lack some knowledge, you can call a search engine by <search> "
      + "query </search> and it will return the top searched results between <information> and "
      + "</information>. You can search as many times as your want. If you find no further "
      + "external knowledge needed, you can directly provide the answer inside <answer> and "
      + "</answer>, without detailed illustrations. For example, <answer> Beijing </answer>. "
      + "Question: ";
  public static final String INVALID_ACTION = "\nMy previous action is invalid. If I want to "
      + "search, I should put the query between <search> and </search>. If I want to give the "
      + "final answer, I should put the answer between <answer> and </answer>. Let me try "
      + "again.\n";
  public static final String DIRECT_INSTRUCTION = "Answer the given question directly. Provide "
      + "the answer inside <answer> and </answer>, without detailed illustrations. For example, "
      + "<answer> Beijing </answer>. Question: ";
  public static final String RAG_INSTRUCTION = "Answer the given question using the documents "
      + "below. Provide the answer inside <answer> and </answer>, without detailed "
      + "illustrations. For example, <answer> Beijing </answer>.\n";
  private static final Pattern ACTION = Pattern.compile("<(search|answer)>(.*?)</\\1>",
      Pattern.DOTALL);

  /** What a turn asks for. */
  public enum Kind { SEARCH, ANSWER, INVALID }

  /** The action of a cut turn and its content (the query or the answer, stripped). */
  public record Action(Kind kind, String content) {}

  private SearchR1Protocol() {}

  /** The question as the reference puts it in the prompt: stripped, ending in a question mark. */
  public static String question(String q) {
    String s = q == null ? "" : PythonText.strip(q);
    return s.isEmpty() || s.endsWith("?") ? s : s + "?";
  }

  /** The Search-R1 prompt, optionally in a chat template with {@code {prompt}} in it. */
  public static String prompt(String question, String chatTemplate) {
    String p = INSTRUCTION + question(question) + "\n";
    return chatTemplate == null || chatTemplate.isBlank() ? p : chatTemplate.replace("{prompt}", p);
  }

  /** The prompt of the no-retrieval baseline. */
  public static String directPrompt(String question, String chatTemplate) {
    String p = DIRECT_INSTRUCTION + question(question) + "\n";
    return chatTemplate == null || chatTemplate.isBlank() ? p : chatTemplate.replace("{prompt}", p);
  }

  /** The prompt of the retrieve-once baseline, with the passages of the question. */
  public static String ragPrompt(String question, List<String> contents, String chatTemplate) {
    String p = RAG_INSTRUCTION + "Documents:\n" + PythonText.strip(passages(contents))
        + "\nQuestion: " + question(question) + "\n";
    return chatTemplate == null || chatTemplate.isBlank() ? p : chatTemplate.replace("{prompt}", p);
  }

  /**
   * Cuts a generated turn as the reference does: after the first {@code </search>} if there is
   * one, else after the first {@code </answer>}, else unchanged.
   */
  public static String cut(String generated) {
    int s = generated.indexOf("</search>");
    if (s >= 0) {
      return generated.substring(0, s + "</search>".length());
    }
    int a = generated.indexOf("</answer>");
    return a >= 0 ? generated.substring(0, a + "</answer>".length()) : generated;
  }

  /** The first complete {@code <search>} or {@code <answer>} element decides the action. */
  public static Action action(String turn) {
    Matcher m = ACTION.matcher(turn);
    if (!m.find()) {
      return new Action(Kind.INVALID, "");
    }
    return new Action(m.group(1).equals("search") ? Kind.SEARCH : Kind.ANSWER,
        PythonText.strip(m.group(2)));
  }

  /** {@code Doc i(Title: t) text} lines of retrieved contents ({@code "Title"\ntext}). */
  public static String passages(List<String> contents) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < contents.size(); i++) {
      String c = contents.get(i);
      int nl = c.indexOf('\n');
      String title = nl < 0 ? c : c.substring(0, nl);
      String text = nl < 0 ? "" : c.substring(nl + 1);
      sb.append("Doc ").append(i + 1).append("(Title: ").append(title).append(") ").append(text)
          .append('\n');
    }
    return sb.toString();
  }

  /**
   * The observation appended after a search: the passages inside {@code <information>}, stripped
   * as Python strips them (so a last passage ending in e.g. U+00A0 loses it, as in Search-R1).
   */
  public static String information(List<String> contents) {
    return "\n\n<information>" + PythonText.strip(passages(contents)) + "</information>\n\n";
  }
}
