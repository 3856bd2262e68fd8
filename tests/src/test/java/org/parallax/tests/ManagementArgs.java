package org.parallax.tests;

import java.lang.management.ManagementFactory;
import java.util.List;

/** The JVM flags of this test JVM that a child JVM running Spark needs too. */
final class ManagementArgs {
  private ManagementArgs() {}

  static List<String> opens() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-opens") || a.startsWith("-Djdk.reflect"))
        .toList();
  }

  /** The extra JVM flags the launchers take from {@code PARALLAX_JAVA_OPTS} (the build sets it). */
  static List<String> javaOpts() {
    String opts = System.getenv().getOrDefault("PARALLAX_JAVA_OPTS", "").strip();
    return opts.isEmpty() ? List.of() : List.of(opts.split("\\s+"));
  }
}
