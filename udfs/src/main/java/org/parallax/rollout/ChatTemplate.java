package org.parallax.rollout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The chat template put around the first prompt, as Search-R1's reference applies the model's
 * own template ({@code tokenizer.apply_chat_template([{"role": "user", "content": prompt}],
 * add_generation_prompt=True)}) before generating. A template is text with {@code {prompt}}
 * where the prompt goes. The default for a served model ({@code openai}) is Qwen2.5's, the
 * family of the Search-R1 checkpoints, with its default system message; other policies default
 * to the bare prompt. Pure.
 */
public final class ChatTemplate {
  /** Qwen2.5's template for one user message and the assistant's turn to answer. */
  public static final String QWEN25 = "<|im_start|>system\nYou are Qwen, created by Alibaba "
      + "Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n{prompt}<|im_end|>\n"
      + "<|im_start|>assistant\n";
  public static final String PLACEHOLDER = "{prompt}";

  private ChatTemplate() {}

  /**
   * The template the {@code --chat-template} option names, or null for the bare prompt:
   * {@code none}; {@code qwen2.5}; a template with {@code {prompt}} in it; or a local file
   * holding one. Unset, it is {@code qwen2.5} for the {@code openai} policy and none otherwise.
   */
  public static String resolve(String option, String policyKind) {
    if (option == null) {
      return policyKind.equals("openai") ? QWEN25 : null;
    }
    if (option.equals("none")) {
      return null;
    }
    if (option.equals("qwen2.5")) {
      return QWEN25;
    }
    if (option.contains(PLACEHOLDER)) {
      return option;
    }
    Path file = Path.of(option);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--chat-template must be none, qwen2.5, a template "
          + "with {prompt} in it, or a file holding one; got " + option);
    }
    String t;
    try {
      t = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("--chat-template: cannot read " + file + ": "
          + e.getMessage(), e);
    }
    if (!t.contains(PLACEHOLDER)) {
      throw new IllegalArgumentException("--chat-template file " + file + " has no {prompt} "
          + "where the prompt goes");
    }
    return t;
  }
}
