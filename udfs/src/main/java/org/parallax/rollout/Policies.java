package org.parallax.rollout;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The policies of this JVM, built once per {@link PolicySpec} and shared by its tasks. */
public final class Policies {
  private static final Map<PolicySpec, Policy> CACHE = new ConcurrentHashMap<>();

  private Policies() {}

  public static Policy get(PolicySpec spec) {
    return CACHE.computeIfAbsent(spec, s -> switch (s.kind()) {
      case "openai" -> new OpenAiPolicy(s);
      case "djl" -> new DjlPolicy(s);
      default -> new ExtractivePolicy();
    });
  }
}
