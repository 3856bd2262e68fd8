package org.parallax.avinfo;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import scala.Tuple2;

/**
 * The buckets of the nulls' derangement per group: ceil(n / perBucket) buckets for n utterances, an
 * utterance in {@link SparkHash#bucket}, a bucket left with one utterance merged into the group's
 * first with two or more (bucket 0 if none), as {@link StatsNulls#partners}. Small; shipped with
 * the tasks.
 */
final class DerangementBuckets implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long seed;
  private final Map<String, Long> buckets = new HashMap<>();
  private final Map<Tuple2<String, Long>, Long> moved = new HashMap<>();

  /**
   * The buckets of {@code members} (group, record), groups of {@code utterances} records; one
   * counting pass where some group has several buckets.
   */
  DerangementBuckets(JavaPairRDD<String, UtteranceRuns.Runs> members,
      Map<String, Long> utterances, long seed, long perBucket) {
    this.seed = seed;
    utterances.forEach((g, n) -> buckets.put(g, Math.max(1, (n + perBucket - 1) / perBucket)));
    if (buckets.values().stream().anyMatch(b -> b > 1)) {
      Map<String, Long> counts = buckets;
      Map<Tuple2<String, Long>, Long> sizes = members.map(e -> new Tuple2<>(e._1(),
          SparkHash.bucket(seed, counts.get(e._1()), e._2().id))).countByValue();
      Map<String, TreeMap<Long, Long>> byGroup = new HashMap<>();
      sizes.forEach((k, n) -> byGroup.computeIfAbsent(k._1(), x -> new TreeMap<>())
          .put(k._2(), n));
      byGroup.forEach((g, s) -> {
        long large = s.entrySet().stream().filter(e -> e.getValue() >= 2)
            .mapToLong(Map.Entry::getKey).min().orElse(0L);
        s.forEach((b, n) -> {
          if (n < 2) {
            moved.put(new Tuple2<>(g, b), large);
          }
        });
      });
    }
  }

  /** The bucket of utterance {@code id} in {@code group}. */
  long of(String group, String id) {
    long b = SparkHash.bucket(seed, buckets.get(group), id);
    return moved.getOrDefault(new Tuple2<>(group, b), b);
  }

  /** Buckets of the largest group (the partitions worth using). */
  long most() {
    return buckets.values().stream().mapToLong(Long::longValue).max().orElse(1L);
  }
}
