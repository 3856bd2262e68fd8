package org.parallax.bench;

/**
 * Wall-clock and CPU seconds of one benchmark step: the CPU time of a whole process (every
 * thread, the JIT and the garbage collector included), which a loaded machine changes far less
 * than the wall clock.
 */
record ProcessTiming(double seconds, double cpuSeconds) {
  /** Times {@code work} in this JVM: wall clock, and this process's CPU time over it. */
  static ProcessTiming of(Runnable work) {
    double cpu0 = processCpuSeconds();
    long t0 = System.nanoTime();
    work.run();
    return new ProcessTiming((System.nanoTime() - t0) / 1e9, processCpuSeconds() - cpu0);
  }

  /** The faster (by wall clock) of two timings. */
  static ProcessTiming faster(ProcessTiming a, ProcessTiming b) {
    return a.seconds <= b.seconds ? a : b;
  }

  /**
   * Runs {@code command} as a child process under {@code bash}, whose {@code times} after it
   * gives the child's CPU time, with its console output in {@code log}; fails naming the log
   * when it exits non-zero or runs past two hours.
   */
  static ProcessTiming ofProcess(java.nio.file.Path log, java.util.List<String> command,
      java.util.Map<String, String> env) throws java.io.IOException, InterruptedException {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("bash", "-c",
        "\"$@\"; rc=$?; times; exit $rc", "bash"));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    env.forEach((k, v) -> {
      if (v == null) {
        pb.environment().remove(k);
      } else {
        pb.environment().put(k, v);
      }
    });
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(2, java.util.concurrent.TimeUnit.HOURS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish in 2 hours; see " + log);
    }
    double wall = (System.nanoTime() - t0) / 1e9;
    java.util.List<String> lines = java.nio.file.Files.readAllLines(log);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command.subList(0,
          Math.min(3, command.size()))) + " failed (exit " + p.exitValue() + "); see " + log
          + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 4),
          lines.size())));
    }
    return new ProcessTiming(wall, childCpu(lines.get(lines.size() - 1)));
  }

  /** User + system seconds of a {@code times} line such as {@code 0m54.040s 0m5.000s}. */
  static double childCpu(String line) {
    double total = 0;
    for (String t : line.trim().split("\\s+")) {
      int m = t.indexOf('m');
      total += Integer.parseInt(t.substring(0, m)) * 60
          + Double.parseDouble(t.substring(m + 1, t.length() - 1));
    }
    return total;
  }

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
