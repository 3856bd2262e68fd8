package org.parallax.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parallax.rollout.SearchR1Protocol.Kind;

class SearchR1ProtocolTest {
  @Test
  void promptStripsQuestionAndAddsQuestionMark() {
    String p = SearchR1Protocol.prompt("  who wrote hamlet ", null);
    assertTrue(p.startsWith("Answer the given question. You must conduct reasoning"));
    assertTrue(p.endsWith("Question: who wrote hamlet?\n"), p);
    assertTrue(SearchR1Protocol.prompt("is it?", null).endsWith("Question: is it?\n"));
    assertEquals("<|im_start|>user\n" + SearchR1Protocol.prompt("x", null) + "<|im_end|>",
        SearchR1Protocol.prompt("x", "<|im_start|>user\n{prompt}<|im_end|>"));
  }

  @Test
  void cutAtFirstSearchCloseElseFirstAnswerClose() {
    assertEquals("<think>a</think><search> q </search>",
        SearchR1Protocol.cut("<think>a</think><search> q </search><answer>x</answer> more"));
    assertEquals("<answer>x</answer>", SearchR1Protocol.cut("<answer>x</answer> trailing"));
    // </search> wins even when an answer closes first.
    assertEquals("<answer>x</answer> <search>q</search>",
        SearchR1Protocol.cut("<answer>x</answer> <search>q</search> tail"));
    assertEquals("no tags at all", SearchR1Protocol.cut("no tags at all"));
  }

  @Test
  void firstCompleteElementDecidesTheAction() {
    assertEquals(new SearchR1Protocol.Action(Kind.SEARCH, "capital of france"),
        SearchR1Protocol.action("<think>hm</think>\n<search>  capital of france </search>"));
    assertEquals(Kind.ANSWER, SearchR1Protocol.action("<answer>Paris</answer><search>x</search>")
        .kind());
    // Missing close tag: not an action.
    assertEquals(Kind.INVALID, SearchR1Protocol.action("<search> unclosed").kind());
    // Nested tags: the lazy match ends at the first close of the same name.
    assertEquals(new SearchR1Protocol.Action(Kind.SEARCH, "a <answer>b</answer> c"),
        SearchR1Protocol.action("<search>a <answer>b</answer> c</search>"));
    assertEquals(new SearchR1Protocol.Action(Kind.ANSWER, ""),
        SearchR1Protocol.action("<answer>   </answer>"));
    assertEquals(Kind.INVALID, SearchR1Protocol.action("<Search>x</Search>").kind());
  }

  @Test
  void informationBlockFormatsPassagesLikeTheReference() {
    String info = SearchR1Protocol.information(List.of("\"Paris\"\nParis is the capital.\nIt is big.",
        "No newline"));
    assertEquals("\n\n<information>Doc 1(Title: \"Paris\") Paris is the capital.\nIt is big.\n"
        + "Doc 2(Title: No newline)</information>\n\n", info);
  }

  @Test
  void scoringUsesTheLastAnswer() {
    String response = "<answer>London</answer> wait <answer> the  Paris! </answer>";
    assertEquals("the  Paris!", AnswerScorer.lastAnswer(response));
    assertTrue(AnswerScorer.exactMatch(AnswerScorer.lastAnswer(response), List.of("paris")));
    assertNull(AnswerScorer.lastAnswer("<answer>unclosed"));
    assertFalse(AnswerScorer.exactMatch(null, List.of("x")));
    assertFalse(AnswerScorer.exactMatch("", List.of("x")));
    assertTrue(AnswerScorer.substringMatch("It is Paris, France", List.of("Paris")));
    assertFalse(AnswerScorer.exactMatch("It is Paris, France", List.of("Paris")));
    // Unicode punctuation is not in Python's string.punctuation: it stays and breaks the match.
    assertFalse(AnswerScorer.exactMatch("Paris」", List.of("Paris")));
    // precision 1/2, recall 1/1
    assertEquals(2 / 3.0, AnswerScorer.f1("Paris France", List.of("Paris")), 1e-9);
    assertEquals(1.0, AnswerScorer.f1("The Paris", List.of("nope", "paris")), 1e-9);
    assertEquals(0.0, AnswerScorer.f1("", List.of("paris")), 1e-9);
  }
}
