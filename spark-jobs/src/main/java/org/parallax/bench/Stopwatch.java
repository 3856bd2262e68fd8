package org.parallax.bench;

import java.util.function.Supplier;

/** Wall-clock timing of one benchmark step. */
final class Stopwatch {
  private Stopwatch() {}

  /** Seconds {@code work} took. */
  static double seconds(Runnable work) {
    long t0 = System.nanoTime();
    work.run();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The value {@code work} returns and the seconds it took. */
  static <T> Timed<T> time(Supplier<T> work) {
    long t0 = System.nanoTime();
    T v = work.get();
    return new Timed<>(v, (System.nanoTime() - t0) / 1e9);
  }

  /** A value with the seconds it took to compute. */
  record Timed<T>(T value, double seconds) {}
}
