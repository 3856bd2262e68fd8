package org.parallax.rollout;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Caps the observation appended after a search (the {@code <information>} block) at
 * {@code maxTokens} tokens, as Search-R1's reference cuts each observation to its first
 * {@code max_obs_length} (500) tokens: what lies beyond, the closing tag included, is dropped.
 * Tokens are the policy's own when it has a HuggingFace tokenizer ({@code tokenizer.json}, loaded
 * once per JVM; the cut falls at a token's end); otherwise a word-piece approximation: each run
 * of up to six letters, each digit and each other non-space character is a token (common words
 * are one token, long or rare ones several, digits one each, as in Qwen2.5's tokenizer).
 * Serializable, thread-safe.
 */
public final class ObservationCap implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern PIECES = Pattern.compile(
      "[\\p{L}\\p{M}]{1,6}|\\p{N}|[^\\s\\p{L}\\p{M}\\p{N}]");
  private static final Map<String, HuggingFaceTokenizer> TOKENIZERS = new ConcurrentHashMap<>();
  private final int maxTokens;
  private final String tokenizer;

  /** A cap of {@code maxTokens} tokens of the tokenizer at {@code tokenizer} (null: approximate). */
  public ObservationCap(int maxTokens, String tokenizer) {
    if (maxTokens < 1) {
      throw new IllegalArgumentException("--info-tokens must be at least 1, got " + maxTokens);
    }
    this.maxTokens = maxTokens;
    this.tokenizer = tokenizer;
  }

  public int maxTokens() {
    return maxTokens;
  }

  /** Whether tokens are the policy's own rather than approximated. */
  public boolean exact() {
    return tokenizer != null;
  }

  /**
   * {@code text} cut at the end of its {@code maxTokens}-th token when it has more tokens,
   * else unchanged.
   */
  public String apply(String text) {
    int end = tokenizer == null ? approximateEnd(text) : tokenizerEnd(text);
    return end < 0 ? text : text.substring(0, end);
  }

  /** Where the approximate {@code maxTokens}-th token ends, or -1 when there are no more. */
  private int approximateEnd(String text) {
    Matcher m = PIECES.matcher(text);
    int n = 0;
    while (m.find()) {
      if (++n == maxTokens) {
        int end = m.end();
        return m.find() ? end : -1;
      }
    }
    return -1;
  }

  private int tokenizerEnd(String text) {
    CharSpan[] spans = TOKENIZERS.computeIfAbsent(tokenizer, ObservationCap::load).encode(text)
        .getCharTokenSpans();
    return spans.length <= maxTokens ? -1 : spans[maxTokens - 1].getEnd();
  }

  private static HuggingFaceTokenizer load(String path) {
    try {
      return HuggingFaceTokenizer.builder().optTokenizerPath(Path.of(path))
          .optAddSpecialTokens(false).optTruncation(false).build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the tokenizer " + path, e);
    }
  }

  @Override
  public String toString() {
    return maxTokens + " tokens of " + (tokenizer == null ? "the approximation" : tokenizer);
  }
}
