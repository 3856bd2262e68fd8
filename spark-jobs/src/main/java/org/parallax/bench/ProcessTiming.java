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

  private static double processCpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
