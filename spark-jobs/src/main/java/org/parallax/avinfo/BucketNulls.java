package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.EnumMap;
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
    // Each partition returns its four tables' cells as plain arrays {pairing, a, v, t, count}.
    List<long[]> parts = byBucket.mapPartitions(rows -> {
      CellCounts[] counts = new CellCounts[NullPairing.values().length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new CellCounts();
      }
      Map<Long, List<Ordered>> groups = new TreeMap<>();
      while (rows.hasNext()) {
        Tuple2<Long, UtteranceRuns.Runs> r = rows.next();
        groups.computeIfAbsent(r._1(), x -> new ArrayList<>()).add(new Ordered(seed, r._2()));
      }
      List<UtteranceRuns.Runs> group = new ArrayList<>();
      for (List<Ordered> members : groups.values()) {
        members.sort(null);
        group.clear();
        members.forEach(m -> group.add(m.runs));
        bucket(group, seed, counts);
      }
      List<long[]> cells = new ArrayList<>();
      for (int i = 0; i < counts.length; i++) {
        int p = i;
        counts[i].forEachInt((a, v, t, c) -> cells.add(new long[] {p, a, v, t, c}));
      }
      return cells.iterator();
    }).collect();
    Map<NullPairing, JointCounts> out = new EnumMap<>(NullPairing.class);
    for (NullPairing p : NullPairing.values()) {
      out.put(p, new JointCounts());
    }
    for (long[] c : parts) {
      out.get(NullPairing.values()[(int) c[0]]).add((int) c[1], (int) c[2], (int) c[3], c[4]);
    }
    return out;
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
    int total = 0;
    for (UtteranceRuns.Runs r : group) {
      total += r.size();
    }
    int[] utt = new int[total];
    int[] run = new int[total];
    long[] hash = new long[total];
    UTF8String[] ids = new UTF8String[group.size()];
    int k = 0;
    for (int u = 0; u < group.size(); u++) {
      UtteranceRuns.Runs r = group.get(u);
      ids[u] = UTF8String.fromString(r.id);
      long h = SparkHash.utterance(seed, r.id);
      for (int i = 0; i < r.size(); i++) {
        utt[k] = u;
        run[k] = i;
        hash[k] = SparkHash.then(h, r.start[i]);
        k++;
      }
    }
    // Flat copies of the sort keys, and a sort of primitive indices (no boxing).
    int[] ts = new int[total];
    int[] lens = new int[total];
    int[] starts = new int[total];
    int[] as = new int[total];
    int[] vs = new int[total];
    int[] order = new int[total];
    for (int i = 0; i < total; i++) {
      UtteranceRuns.Runs r = group.get(utt[i]);
      ts[i] = r.t[run[i]];
      lens[i] = r.len[run[i]];
      starts[i] = r.start[run[i]];
      as[i] = r.a[run[i]];
      vs[i] = r.v[run[i]];
      order[i] = i;
    }
    // The (T, length) strata first: a primitive sort of (stratum rank, index) pairs packed in
    // longs (a length is positive, so (T, length) orders as one signed long), then each
    // stratum's runs by (hash, utterance, start), a few hundred each.
    long[] strata = new long[total];
    for (int i = 0; i < total; i++) {
      strata[i] = ((long) ts[i] << 32) | (lens[i] & 0xffffffffL);
    }
    long[] distinct = strata.clone();
    java.util.Arrays.sort(distinct);
    int kinds = 0;
    for (int i = 0; i < total; i++) {
      if (i == 0 || distinct[i] != distinct[i - 1]) {
        distinct[kinds++] = distinct[i];
      }
    }
    long[] packed = new long[total];
    for (int i = 0; i < total; i++) {
      packed[i] = ((long) java.util.Arrays.binarySearch(distinct, 0, kinds, strata[i]) << 32) | i;
    }
    java.util.Arrays.sort(packed);
    for (int i = 0; i < total; i++) {
      order[i] = (int) packed[i];
    }
    int[] tmp = new int[total];
    java.util.function.IntBinaryOperator within = (p, q) -> {
      int c = Long.compare(hash[p], hash[q]);
      c = c != 0 ? c : ids[utt[p]].compareTo(ids[utt[q]]);
      return c != 0 ? c : Integer.compare(starts[p], starts[q]);
    };
    for (int lo = 0; lo < total; ) {
      int hi = lo + 1;
      while (hi < total && (packed[hi] >>> 32) == (packed[lo] >>> 32)) {
        hi++;
      }
      mergeSort(order, tmp, lo, hi, within);
      lo = hi;
    }
    int first = 0;
    for (int i = 0; i < total; i++) {
      int at = order[i];
      boolean last = i + 1 == total || ts[at] != ts[order[i + 1]]
          || lens[at] != lens[order[i + 1]];
      int taker = last ? order[first] : order[i + 1];
      out.add(as[at], vs[taker], ts[at], lens[at]);
      if (last) {
        first = i + 1;
      }
    }
  }

  /** Sorts {@code a[lo, hi)} by {@code cmp} (a merge sort of primitive indices). */
  private static void mergeSort(int[] a, int[] tmp, int lo, int hi,
      java.util.function.IntBinaryOperator cmp) {
    if (hi - lo < 16) {
      for (int i = lo + 1; i < hi; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= lo && cmp.applyAsInt(a[j], x) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (lo + hi) >>> 1;
    mergeSort(a, tmp, lo, mid, cmp);
    mergeSort(a, tmp, mid, hi, cmp);
    if (cmp.applyAsInt(a[mid - 1], a[mid]) <= 0) {
      return;
    }
    System.arraycopy(a, lo, tmp, lo, hi - lo);
    int i = lo;
    int j = mid;
    int k = lo;
    while (i < mid && j < hi) {
      a[k++] = cmp.applyAsInt(tmp[i], tmp[j]) <= 0 ? tmp[i++] : tmp[j++];
    }
    while (i < mid) {
      a[k++] = tmp[i++];
    }
    while (j < hi) {
      a[k++] = tmp[j++];
    }
  }
}
