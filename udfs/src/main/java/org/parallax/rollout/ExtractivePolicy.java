package org.parallax.rollout;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.AnseriniAnalyzer;
import org.parallax.retrieval.QueryTerms;

/**
 * A deterministic, model-free reader that follows the Search-R1 protocol: with no passages in its
 * context it searches with the question (when it may) and otherwise answers "unknown"; with
 * passages (the last {@code <information>} block, or the documents of a RAG prompt) it answers with
 * the best short span: in the sentence sharing most question terms (stemmed, stop words aside;
 * the better-ranked passage on ties), the run of up to five non-question, non-stop-word tokens
 * after the last question term. A baseline, and the policy that runs the pipeline end to end
 * with real numbers without a model. Thread-safe.
 */
public final class ExtractivePolicy implements Policy {
  static final String NO_ANSWER = "unknown";
  private static final Pattern DOC = Pattern.compile("^Doc \\d+\\(Title: (.*?)\\) (.*)$",
      Pattern.MULTILINE);
  private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*");
  private static final Pattern SENTENCE = Pattern.compile("(?<=[.!?])\\s+");
  private static final int MAX_SPAN = 5;
  private final AnseriniAnalyzer analyzer = AnalyzerConfig.ANSERINI.create();

  @Override
  public List<String> generate(List<Input> batch) {
    List<String> out = new ArrayList<>(batch.size());
    for (Input in : batch) {
      out.add(turn(in));
    }
    return out;
  }

  private String turn(Input in) {
    List<String> passages = passages(in.context());
    if (passages.isEmpty()) {
      if (in.searchAllowed()) {
        return "<think>I need to look this up.</think>\n<search> "
            + SearchR1Protocol.question(in.question()) + " </search>";
      }
      return "<think>I have no evidence.</think>\n<answer> " + NO_ANSWER + " </answer>";
    }
    String span = span(in.question(), passages);
    return "<think>The retrieved documents point to an answer.</think>\n<answer> "
        + (span.isEmpty() ? NO_ANSWER : span) + " </answer>";
  }

  /** The passages of the last information block, or of the RAG prompt's documents. */
  static List<String> passages(String context) {
    int info = context.lastIndexOf("\n\n<information>");
    String block;
    if (info >= 0) {
      int end = context.indexOf("</information>", info);
      block = context.substring(info, end < 0 ? context.length() : end);
    } else {
      int docs = context.indexOf("Documents:\n");
      if (docs < 0) {
        return List.of();
      }
      block = context.substring(docs);
    }
    List<String> out = new ArrayList<>();
    Matcher m = DOC.matcher(block.replace("<information>", "\n"));
    while (m.find()) {
      out.add(m.group(2));
    }
    return out;
  }

  /** The best answer span of the passages (text lines, best first) for the question. */
  String span(String question, List<String> passages) {
    Set<String> q = new HashSet<>(QueryTerms.analyze(analyzer, question).keySet());
    String best = null;
    int bestScore = 0;
    for (String passage : passages) {
      for (String sentence : SENTENCE.split(passage)) {
        Set<String> seen = new HashSet<>();
        for (String stem : stems(sentence)) {
          if (q.contains(stem)) {
            seen.add(stem);
          }
        }
        if (seen.size() > bestScore) {
          bestScore = seen.size();
          best = sentence;
        }
      }
    }
    return best == null ? "" : run(best, q);
  }

  private List<String> stems(String sentence) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(sentence);
    while (m.find()) {
      out.add(stem(m.group()));
    }
    return out;
  }

  private String stem(String token) {
    var terms = QueryTerms.analyze(analyzer, token).keySet();
    return terms.isEmpty() ? "" : terms.iterator().next();
  }

  /** After the last question term, the first run of content tokens that are not question terms. */
  private String run(String sentence, Set<String> q) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(sentence);
    while (m.find()) {
      tokens.add(m.group());
    }
    int lastQ = -1;
    for (int i = 0; i < tokens.size(); i++) {
      if (q.contains(stem(tokens.get(i)))) {
        lastQ = i;
      }
    }
    String after = firstRun(tokens, q, lastQ + 1);
    return after.isEmpty() ? firstRun(tokens, q, 0) : after;
  }

  private String firstRun(List<String> tokens, Set<String> q, int from) {
    List<String> run = new ArrayList<>();
    for (int i = from; i < tokens.size() && run.size() < MAX_SPAN; i++) {
      String s = stem(tokens.get(i));
      boolean content = !s.isEmpty() && !q.contains(s);
      if (content) {
        run.add(tokens.get(i));
      } else if (!run.isEmpty()) {
        break;
      }
    }
    return String.join(" ", run);
  }
}
