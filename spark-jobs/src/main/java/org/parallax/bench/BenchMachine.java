package org.parallax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a benchmark ran on. */
public final class BenchMachine {
  private BenchMachine() {}

  public static String describe() {
    String cpu = "unknown CPU";
    try {
      cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse(cpu);
    } catch (IOException ignored) {
      // Not Linux: the core count and memory still say enough.
    }
    return String.format("%s, %d cores, %d GiB JVM max heap, Java %s", cpu,
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 30,
        System.getProperty("java.version"));
  }
}
