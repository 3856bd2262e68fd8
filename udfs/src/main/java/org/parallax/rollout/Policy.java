package org.parallax.rollout;

import java.util.List;

/**
 * Generates the next turn of many trajectories at once. A policy sees what a language model
 * sees: the whole context so far (prompt and response), and whether it may still search. It
 * returns the raw generated text of each; the caller applies {@link SearchR1Protocol#cut}.
 * Implementations are created once per executor JVM and must be thread-safe.
 */
public interface Policy {
  /** One trajectory's input to a turn. */
  record Input(String question, String context, boolean searchAllowed) {}

  /** The generated continuation of each input, in order. */
  List<String> generate(List<Input> batch);
}
