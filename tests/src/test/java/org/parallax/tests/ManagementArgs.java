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
}
