package org.parallax.datagen;

import java.util.SplittableRandom;

/**
 * Per-entity random streams derived from the job seed, so that a generated row depends only on the
 * seed and the entity's id, never on partitioning or on which executor made it.
 */
public final class Seeds {
  private Seeds() {}

  /** SplitMix64 finaliser over the seed and the id. */
  public static long mix(long seed, long id) {
    long z = seed * 0x9E3779B97F4A7C15L + id + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The random stream of entity {@code id} in the stream family {@code salt}. */
  public static SplittableRandom stream(long seed, long salt, long id) {
    return new SplittableRandom(mix(mix(seed, salt), id));
  }

  /** Partitions for {@code rows} generated rows: about a million rows each, at least the cores. */
  public static int partitions(long rows, int defaultParallelism) {
    return (int) Math.max(defaultParallelism, Math.min(100_000, rows / 1_000_000 + 1));
  }
}
