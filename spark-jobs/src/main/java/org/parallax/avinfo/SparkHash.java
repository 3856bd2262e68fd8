package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Every seeded draw of {@code avinfo stats} (null buckets, orders, Poisson(1) bootstrap weights),
 * in memory and as Spark columns, equal ({@code SparkHashTest}): Spark's {@code xxhash64(x1, ...,
 * xn)} starts at seed 42 and hashes each non-null value in turn.
 */
final class SparkHash {
  private SparkHash() {}

  /** Spark's seed of {@code xxhash64}. */
  private static final long SEED = 42L;

  /** The Poisson(1) CDF at 0..7, inverted by {@link #poisson(long, int)}. */
  private static final double[] POISSON_CDF = {0.36787944, 0.73575888, 0.91969860, 0.98101184,
    0.99634015, 0.99940582, 0.99991676, 0.99998975};

  /** {@code xxhash64(x)} of a long. */
  static long of(long x) {
    return XXH64.hashLong(x, SEED);
  }

  /** Hash {@code h} continued with a string (unchanged by null, as Spark skips nulls). */
  static long then(long h, String s) {
    if (s == null) {
      return h;
    }
    UTF8String u = UTF8String.fromString(s);
    return XXH64.hashUnsafeBytes(u.getBaseObject(), u.getBaseOffset(), u.numBytes(), h);
  }

  /** Hash {@code h} continued with an int. */
  static long then(long h, int x) {
    return XXH64.hashInt(x, h);
  }

  /** {@code xxhash64(seed, utterance_id)}: an utterance's order among others. */
  static long utterance(long seed, String utterance) {
    return then(of(seed), utterance);
  }

  /** {@code pmod(xxhash64(seed, 'bucket', utterance_id), buckets)}. */
  static long bucket(long seed, long buckets, String utterance) {
    return Math.floorMod(then(then(of(seed), "bucket"), utterance), buckets);
  }

  /** The column of {@link #bucket(long, long, String)}. */
  static Column bucket(long seed, long buckets) {
    return pmod(xxhash64(lit(seed), lit("bucket"), col("utterance_id")), lit(buckets));
  }

  /** The column of {@link #utterance(long, String)}. */
  static Column utterance(long seed) {
    return xxhash64(lit(seed), col("utterance_id"));
  }

  /** {@code xxhash64(seed, utterance_id, start)}: a run's order among others. */
  static Column run(long seed) {
    return xxhash64(lit(seed), col("utterance_id"), col("start"));
  }

  /**
   * A Poisson(1) draw for replicate {@code b} of an utterance of hash {@code h}: the inverse CDF at
   * {@code pmod(xxhash64(h, b), 2^30) / 2^30}.
   */
  static long poisson(long h, int b) {
    double u = Math.floorMod(then(of(h), b), 1L << 30) / (double) (1L << 30);
    for (int i = 0; i < POISSON_CDF.length; i++) {
      if (u < POISSON_CDF[i]) {
        return i;
      }
    }
    return POISSON_CDF.length;
  }

  /** The column of {@link #poisson(long, int)}, {@code h} and {@code b} being columns. */
  static Column poisson(Column h, Column b) {
    Column u = pmod(xxhash64(h, b), lit(1L << 30)).divide((double) (1L << 30));
    Column k = lit((long) POISSON_CDF.length);
    for (int i = POISSON_CDF.length - 1; i >= 0; i--) {
      k = when(u.lt(POISSON_CDF[i]), lit((long) i)).otherwise(k);
    }
    return k;
  }
}
