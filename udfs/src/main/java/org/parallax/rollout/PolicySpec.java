package org.parallax.rollout;

import java.io.Serializable;

/**
 * How to build a {@link Policy} on an executor; the policy itself is built once per JVM from it.
 *
 * @param kind {@code extractive}, {@code openai} or {@code djl}
 * @param endpoint base URL of an OpenAI-compatible server (openai)
 * @param model model name sent to the server (openai), or the model directory (djl)
 * @param maxTurnTokens tokens generated per turn at most
 * @param concurrency requests in flight per executor at most (openai)
 * @param retries attempts after the first on a failed request (openai)
 * @param timeoutSeconds per-request timeout (openai)
 * @param batchSize prompts per request or per generation batch
 * @param tokenizer the served model's {@code tokenizer.json} (openai; a local path on every
 *     executor), or null; the djl policy's is the one in its model directory
 */
public record PolicySpec(String kind, String endpoint, String model, int maxTurnTokens,
    int concurrency, int retries, double timeoutSeconds, int batchSize, String tokenizer)
    implements Serializable {
  public PolicySpec {
    if (!kind.equals("extractive") && !kind.equals("openai") && !kind.equals("djl")) {
      throw new IllegalArgumentException("--policy must be extractive, openai or djl, got "
          + kind);
    }
    if (kind.equals("openai") && (endpoint == null || endpoint.isBlank())) {
      throw new IllegalArgumentException("--policy openai needs --endpoint URL");
    }
    if (kind.equals("djl") && (model == null || model.isBlank())) {
      throw new IllegalArgumentException("--policy djl needs --model DIR (tokenizer.json and "
          + "model.pt, or a parallax-lm.json model)");
    }
    if (maxTurnTokens < 1 || concurrency < 1 || retries < 0 || timeoutSeconds <= 0
        || batchSize < 1) {
      throw new IllegalArgumentException("policy settings must be positive: " + this);
    }
  }

  /** The policy's HuggingFace tokenizer file, or null when it has none. */
  public String tokenizerPath() {
    return kind.equals("djl") ? java.nio.file.Path.of(model).resolve("tokenizer.json").toString()
        : tokenizer;
  }
}
