package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * The four shuffled tables of {@link NullPairing} from the run records in one exchange (by
 * derangement bucket, {@link DerangementBuckets}): each bucket is put in its derangement order in
 * memory, every utterance meets its partner (the next; the pairs of {@link StatsNulls#partners})
 * and their runs' overlaps are counted; the conditional null permutes V among a bucket's runs of
 * one T and length in the order of {@link StatsNulls#conditionallyShuffled}. Partitions return
 * small tables the driver sums.
 */
final class BucketNulls {
  private BucketNulls() {}

  /**
   * The four tables over {@code utterances} (at least two) records in buckets of about {@code
   * perBucket}.
   */
  static Map<NullPairing, JointCounts> tables(JavaRDD<UtteranceRuns.Runs> records,
      long utterances, long seed, long perBucket) {
    DerangementBuckets buckets = new DerangementBuckets(records.mapToPair(r -> new Tuple2<>("",
        r)), Map.of("", utterances), seed, perBucket);
    int partitions = (int) Math.min(buckets.most(), UtteranceRuns.partitions(
        org.apache.spark.sql.SparkSession.active()));
    // A bucket's records to one partition (a Long's hash is itself), ordered there in memory.
    JavaPairRDD<Long, UtteranceRuns.Runs> byBucket = records.mapToPair(r ->
        new Tuple2<>(buckets.of("", r.id), r)).partitionBy(new HashPartitioner(partitions));
    // Each partition returns its four tables' cells as one array of {pairing, a, v, t, count}.
    List<long[]> parts = byBucket.mapPartitions(rows -> {
      CellCounts[] counts = java.util.stream.Stream.generate(CellCounts::new)
          .limit(NullPairing.values().length).toArray(CellCounts[]::new);
      Map<Long, List<UtteranceRuns.Runs>> groups = new TreeMap<>();
      rows.forEachRemaining(r -> groups.computeIfAbsent(r._1(), x -> new ArrayList<>())
          .add(r._2()));
      groups.values().forEach(members -> ordered(members, seed, counts));
      return List.of(NullReplicates.quintuples(counts)).iterator();
    }).collect();
    return NullReplicates.tables(parts.stream().reduce(new long[0], NullReplicates::concat));
  }

  /**
   * Adds one bucket's four tables to {@code counts}, its records put in their derangement order
   * for {@code seed} ({@link Ordered}).
   */
  static void ordered(List<UtteranceRuns.Runs> members, long seed, CellCounts[] counts) {
    List<Ordered> order = new ArrayList<>();
    members.forEach(r -> order.add(new Ordered(seed, r)));
    order.sort(null);
    bucket(order.stream().map(o -> o.runs).toList(), seed, counts);
  }

  /** A record in its bucket's derangement order: by seeded hash, then utterance (UTF-8). */
  static final class Ordered implements Comparable<Ordered> {
    final long hash;
    final UTF8String id;
    final UtteranceRuns.Runs runs;

    Ordered(long seed, UtteranceRuns.Runs runs) {
      this.hash = SparkHash.utterance(seed, runs.id);
      this.id = UTF8String.fromString(runs.id);
      this.runs = runs;
    }

    @Override
    public int compareTo(Ordered o) {
      int c = Long.compare(hash, o.hash);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  /**
   * Adds one bucket's four tables (utterances in derangement order, each paired with the next, the
   * last with the first) to {@code counts}.
   */
  static void bucket(List<UtteranceRuns.Runs> group, long seed, CellCounts[] counts) {
    int m = group.size();
    for (int i = 0; i < m; i++) {
      overlaps(group.get(i), group.get((i + 1) % m), counts);
    }
    conditional(group, seed, counts[NullPairing.VISUAL_SHUFFLED_WITHIN_TEXT.ordinal()]);
  }

  /**
   * Adds the frames {@code own} shares with {@code partner}, run pair by run pair, to the three
   * frame-aligned tables.
   */
  private static void overlaps(UtteranceRuns.Runs own, UtteranceRuns.Runs partner,
      CellCounts[] counts) {
    CellCounts audio = counts[NullPairing.AUDIO_SHUFFLED.ordinal()];
    CellCounts visual = counts[NullPairing.VISUAL_SHUFFLED.ordinal()];
    CellCounts text = counts[NullPairing.TEXT_SHUFFLED.ordinal()];
    int x = 0;
    int y = 0;
    while (x < own.size() && y < partner.size()) {
      long s1 = own.start[x];
      long e1 = s1 + own.len[x];
      long s2 = partner.start[y];
      long e2 = s2 + partner.len[y];
      long w = Math.min(e1, e2) - Math.max(s1, s2);
      if (w > 0) {
        audio.add(own.a[x], partner.v[y], partner.t[y], w);
        visual.add(own.a[x], partner.v[y], own.t[x], w);
        text.add(own.a[x], own.v[x], partner.t[y], w);
      }
      if (e1 <= e2) {
        x++;
      } else {
        y++;
      }
    }
  }

  /**
   * The conditional null of one bucket: its runs by (T, length), ordered by {@code xxhash64(seed,
   * utterance_id, start)}, utterance and start, each taking the V of the next (the last the
   * first's).
   */
  private static void conditional(List<UtteranceRuns.Runs> group, long seed,
      CellCounts out) {
    int total = group.stream().mapToInt(UtteranceRuns.Runs::size).sum();
    int[] utt = new int[total];
    int[] starts = new int[total];
    int[] as = new int[total];
    int[] vs = new int[total];
    long[] stratum = new long[total];
    long[] hash = new long[total];
    UTF8String[] ids = new UTF8String[group.size()];
    for (int u = 0, k = 0; u < group.size(); u++) {
      UtteranceRuns.Runs r = group.get(u);
      ids[u] = UTF8String.fromString(r.id);
      long h = SparkHash.utterance(seed, r.id);
      for (int i = 0; i < r.size(); i++, k++) {
        utt[k] = u;
        starts[k] = r.start[i];
        as[k] = r.a[i];
        vs[k] = r.v[i];
        stratum[k] = (long) r.t[i] << 32 | r.len[i];
        hash[k] = SparkHash.then(h, r.start[i]);
      }
    }
    // By stratum (T, length: the long's order, a length being positive), then (hash, utterance,
    // start): a total order.
    int[] order = order(stratum, hash, (p, q) -> {
      int c = ids[utt[p]].compareTo(ids[utt[q]]);
      return c != 0 ? c : Integer.compare(starts[p], starts[q]);
    });
    int first = 0;
    for (int i = 0; i < total; i++) {
      int at = order[i];
      boolean last = i + 1 == total || stratum[at] != stratum[order[i + 1]];
      int taker = last ? order[first] : order[i + 1];
      out.add(as[at], vs[taker], (int) (stratum[at] >> 32), (int) stratum[at]);
      if (last) {
        first = i + 1;
      }
    }
  }

  /**
   * Positions 0..n-1 by {@code stratum}, then {@code hash}, then {@code tie}: one sort of packed
   * longs (the stratum's rank, the hash's top bits, the position), then each stretch of equal
   * ranks and top bits (rare) again by hash and {@code tie}.
   */
  static int[] order(long[] stratum, long[] hash, java.util.Comparator<Integer> tie) {
    int n = stratum.length;
    long[] strata = stratum.clone();
    java.util.Arrays.sort(strata);
    int m = 0;
    for (int i = 0; i < n; i++) {
      strata[m] = strata[i];
      m += i + 1 < n && strata[i + 1] == strata[i] ? 0 : 1;
    }
    int positionBits = 64 - Long.numberOfLeadingZeros(Math.max(n - 1, 0));
    int hashBits = 63 - positionBits - (64 - Long.numberOfLeadingZeros(Math.max(m - 1, 0)));
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      long rank = java.util.Arrays.binarySearch(strata, 0, m, stratum[i]);
      // The hash's order as unsigned bits, its top hashBits kept.
      long top = (hash[i] ^ Long.MIN_VALUE) >>> (64 - hashBits);
      keys[i] = (rank << hashBits | top) << positionBits | i;
    }
    java.util.Arrays.sort(keys);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = (int) (keys[i] & ((1L << positionBits) - 1));
    }
    java.util.Comparator<Integer> byHash = java.util.Comparator.<Integer>comparingLong(p ->
        hash[p]).thenComparing(tie);
    for (int i = 0, j = 1; i < n; i = j++) {
      while (j < n && keys[j] >>> positionBits == keys[i] >>> positionBits) {
        j++;
      }
      if (j - i > 1) {
        // A stretch of equal keys (rare), boxed for the comparator.
        Integer[] stretch = java.util.stream.IntStream.range(i, j).map(k -> out[k]).boxed()
            .sorted(byHash).toArray(Integer[]::new);
        for (int k = i; k < j; k++) {
          out[k] = stretch[k - i];
        }
      }
    }
    return out;
  }
}
