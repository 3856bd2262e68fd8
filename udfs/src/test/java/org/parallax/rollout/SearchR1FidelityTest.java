package org.parallax.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search-R1 fidelity pieces: information blocks cut to their first tokens ({@link ObservationCap}),
 * the chat template option ({@link ChatTemplate}) and which stop strings go back
 * ({@link OpenAiPolicy#droppedStop}).
 */
class SearchR1FidelityTest {
  @TempDir Path tmp;

  @Test
  void approximationCountsWordPiecesDigitsAndMarks() {
    ObservationCap cap = new ObservationCap(5, null);
    // <, inform, ation, >, Doc | 1 ...: "information" is two pieces of at most six letters.
    assertEquals("<information>Doc", cap.apply("<information>Doc 1(Title: x)"));
    // Digits count one each.
    assertEquals("ab 123", new ObservationCap(4, null).apply("ab 1234 cd"));
    assertEquals("short text", new ObservationCap(5, null).apply("short text"),
        "fewer tokens: unchanged");
    assertEquals("a b c d e", new ObservationCap(5, null).apply("a b c d e"), "exactly five");
    assertEquals("a b c d e", new ObservationCap(5, null).apply("a b c d e f"));
    assertThrows(IllegalArgumentException.class, () -> new ObservationCap(0, null));
  }

  @Test
  void policyTokenizerCutsAtTheEndOfItsLastKeptToken() throws Exception {
    Path tok = tmp.resolve("tokenizer.json");
    // Word-level, tags and whitespace runs isolated: every one of them is a token.
    Files.writeString(tok, "{\"version\": \"1.0\", \"truncation\": null, \"padding\": null, "
        + "\"added_tokens\": [], \"normalizer\": null, \"pre_tokenizer\": {\"type\": \"Split\", "
        + "\"pattern\": {\"Regex\": \"</?[a-z]+>|\\\\s+\"}, \"behavior\": \"Isolated\", "
        + "\"invert\": false}, \"post_processor\": null, \"decoder\": null, \"model\": {\"type\": "
        + "\"WordLevel\", \"vocab\": {\"[UNK]\": 0}, \"unk_token\": \"[UNK]\"}}");
    ObservationCap cap = new ObservationCap(4, tok.toString());
    // \n\n | <information> | Doc | " " | 1(Title: ...
    assertEquals("\n\n<information>Doc ", cap.apply("\n\n<information>Doc 1(Title: é) x"));
    assertEquals("\n\n<information>", new ObservationCap(2, tok.toString())
        .apply("\n\n<information>Doc"));
    assertEquals("é é", new ObservationCap(3, tok.toString()).apply("é é é"),
        "offsets are characters, not bytes");
  }

  @Test
  void chatTemplateOption() throws Exception {
    assertEquals(ChatTemplate.QWEN25, ChatTemplate.resolve(null, "openai"));
    assertEquals(null, ChatTemplate.resolve(null, "djl"));
    assertEquals(null, ChatTemplate.resolve("none", "openai"));
    assertEquals(ChatTemplate.QWEN25, ChatTemplate.resolve("qwen2.5", "extractive"));
    assertEquals("<s>{prompt}", ChatTemplate.resolve("<s>{prompt}", "openai"));
    Path f = Files.writeString(tmp.resolve("t.txt"), "[INST]{prompt}[/INST]");
    assertEquals("[INST]{prompt}[/INST]", ChatTemplate.resolve(f.toString(), "openai"));
    Path bad = Files.writeString(tmp.resolve("bad.txt"), "no placeholder");
    assertThrows(IllegalArgumentException.class, () -> ChatTemplate.resolve(bad.toString(), "x"));
    assertThrows(IllegalArgumentException.class, () -> ChatTemplate.resolve("qwen3", "openai"));
    assertEquals("<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful "
        + "assistant.<|im_end|>\n<|im_start|>user\n" + SearchR1Protocol.prompt("q", null)
        + "<|im_end|>\n<|im_start|>assistant\n", SearchR1Protocol.prompt("q", ChatTemplate.QWEN25));
  }

  @Test
  void stopStringGoesBackOnlyWhenTheServerSaysItMatched() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String open = "<think>x</think><answer> Paris ";
    // vLLM: stop_reason names the stop string; null means the end-of-sequence token.
    assertEquals("</answer>", OpenAiPolicy.droppedStop(json.readTree(
        "{\"finish_reason\": \"stop\", \"stop_reason\": \"</answer>\"}"), open));
    assertEquals("", OpenAiPolicy.droppedStop(json.readTree(
        "{\"finish_reason\": \"stop\", \"stop_reason\": null}"), open));
    assertEquals("", OpenAiPolicy.droppedStop(json.readTree(
        "{\"finish_reason\": \"stop\", \"stop_reason\": 151645}"), open), "a stop token id");
    assertEquals("", OpenAiPolicy.droppedStop(json.readTree(
        "{\"finish_reason\": \"length\", \"stop_reason\": null}"), open));
    // SGLang's field; a server that kept the stop string in the text gets nothing doubled.
    assertEquals("</search>", OpenAiPolicy.droppedStop(json.readTree(
        "{\"finish_reason\": \"stop\", \"matched_stop\": \"</search>\"}"), "<search> q"));
    assertEquals("", OpenAiPolicy.droppedStop(json.readTree(
        "{\"finish_reason\": \"stop\", \"stop_reason\": \"</search>\"}"), "<search> q</search>"));
    // A server that reports neither: inferred from the element left open.
    assertEquals("</answer>", OpenAiPolicy.droppedStop(json.readTree(
        "{\"finish_reason\": \"stop\"}"), open));
  }
}
