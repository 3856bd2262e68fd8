package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The permutation tests' null draws per group (the whole corpus, each speaker or each data source):
 * the nulls of {@link BucketNulls} drawn N times within each group's utterances, draw r ordering
 * each bucket by {@link Significance#replicateSeed} (draw 0 of the corpus is the report's null),
 * all from one exchange of the records by (group, bucket). A task holding a whole group computes
 * its tested values in place; a split group sends its tables. Only each group's counts of draws at
 * least the observed value reach the driver.
 */
final class NullReplicates {
  private NullReplicates() {}

  /**
   * Per group ({@code ""} when {@code key} is null, else each value of {@code key}), per quantity
   * of {@link Significance#QUANTITIES}, how many of {@code draws} nulls reached the observed
   * plug-in value; groups of one utterance are absent.
   */
  static Map<String, long[]> atLeastObserved(JavaRDD<UtteranceRuns.Runs> records, String key,
      long seed, int draws, long perBucket) {
    JavaPairRDD<String, UtteranceRuns.Runs> members = key == null
        ? records.mapToPair(r -> new Tuple2<>("", r))
        : records.flatMapToPair(r -> split(r, key.equals("speaker_id")).iterator());
    Map<String, Long> utterances = members.countByKey();
    DerangementBuckets buckets = new DerangementBuckets(members, utterances, seed, perBucket);
    int partitions = UtteranceRuns.partitions(org.apache.spark.sql.SparkSession.active());
    JavaPairRDD<Tuple2<String, Integer>, Part> parts = members.mapToPair(m ->
            new Tuple2<>(new Tuple2<>(m._1(), buckets.of(m._1(), m._2().id)), m._2()))
        .partitionBy(new HashPartitioner(partitions))
        .mapPartitionsToPair(it -> {
          Map<String, TreeMap<Long, List<UtteranceRuns.Runs>>> held = new TreeMap<>();
          it.forEachRemaining(e -> held.computeIfAbsent(e._1()._1(), g -> new TreeMap<>())
              .computeIfAbsent(e._1()._2(), b -> new ArrayList<>()).add(e._2()));
          List<Tuple2<Tuple2<String, Integer>, Part>> out = new ArrayList<>();
          held.forEach((g, bucketsOfGroup) -> out.addAll(group(g, bucketsOfGroup.values(),
              utterances.get(g), seed, draws)));
          return out.iterator();
        })
        .reduceByKey(Part::merge);
    return new HashMap<>(parts.mapToPair(e -> new Tuple2<>(e._1()._1(),
            new Tuple2<>(e._1()._2(), e._2().values(e._1()._2()))))
        .groupByKey().flatMapToPair(e -> {
          double[] observed = null;
          List<double[]> nulls = new ArrayList<>();
          for (Tuple2<Integer, double[]> d : e._2()) {
            if (d._1() < 0) {
              observed = d._2();
            } else {
              nulls.add(d._2());
            }
          }
          long[] atLeast = new long[Significance.QUANTITIES.size()];
          for (double[] n : nulls) {
            Significance.count(observed, n, atLeast);
          }
          return (nulls.size() == draws ? List.of(new Tuple2<>(e._1(), atLeast))
              : List.<Tuple2<String, long[]>>of()).iterator();
        }).collectAsMap());
  }

  /**
   * A (group, draw)'s share from one task: its tables as {pairing, a, v, t, count} quintuples or,
   * where the task held the whole group, the tested values (a class: Kryo cannot build records).
   */
  private static final class Part implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final long[] cells;
    final double[] values;

    Part(long[] cells, double[] values) {
      this.cells = cells;
      this.values = values;
    }

    static Part merge(Part x, Part y) {
      return new Part(concat(x.cells, y.cells), null);
    }

    double[] values(int draw) {
      return values != null ? values : NullReplicates.values(draw, cells);
    }
  }

  /**
   * One group's parts from the buckets this task holds: its observed table (draw -1) and, where a
   * bucket pairs two utterances, each draw's four tables.
   */
  private static List<Tuple2<Tuple2<String, Integer>, Part>> group(String g,
      java.util.Collection<List<UtteranceRuns.Runs>> buckets, long total, long seed,
      int draws) {
    boolean whole = buckets.stream().mapToLong(List::size).sum() == total;
    CellCounts observed = new CellCounts();
    boolean paired = false;
    for (List<UtteranceRuns.Runs> bucket : buckets) {
      bucket.forEach(r -> r.addTo(observed, -1));
      paired |= bucket.size() >= 2;
    }
    List<Tuple2<Tuple2<String, Integer>, Part>> out = new ArrayList<>();
    out.add(new Tuple2<>(new Tuple2<>(g, -1), part(-1, new CellCounts[] {observed}, whole)));
    for (int d = 0; paired && d < draws; d++) {
      CellCounts[] counts = java.util.stream.Stream.generate(CellCounts::new)
          .limit(NullPairing.values().length).toArray(CellCounts[]::new);
      long s = Significance.replicateSeed(seed, d);
      for (List<UtteranceRuns.Runs> bucket : buckets) {
        if (bucket.size() >= 2) {
          BucketNulls.ordered(bucket, s, counts);
        }
      }
      out.add(new Tuple2<>(new Tuple2<>(g, d), part(d, counts, whole)));
    }
    return out;
  }

  private static Part part(int draw, CellCounts[] tables, boolean whole) {
    long[] cells = quintuples(tables);
    return whole ? new Part(new long[0], values(draw, cells)) : new Part(cells, null);
  }

  /** The cells of the four tables (in {@link NullPairing} order) as {pairing, a, v, t, count}. */
  static long[] quintuples(CellCounts[] tables) {
    java.util.stream.LongStream.Builder out = java.util.stream.LongStream.builder();
    for (int p = 0; p < tables.length; p++) {
      long pairing = p;
      tables[p].forEachInt((a, v, t, c) -> out.add(pairing).add(a).add(v).add(t).add(c));
    }
    return out.build().toArray();
  }

  /** The four tables of {@link #quintuples} (any number, summed). */
  static Map<NullPairing, JointCounts> tables(long[] quintuples) {
    Map<NullPairing, JointCounts> tables = new EnumMap<>(NullPairing.class);
    for (NullPairing p : NullPairing.values()) {
      tables.put(p, new JointCounts());
    }
    for (int i = 0; i < quintuples.length; i += 5) {
      tables.get(NullPairing.values()[(int) quintuples[i]]).add((int) quintuples[i + 1],
          (int) quintuples[i + 2], (int) quintuples[i + 3], quintuples[i + 4]);
    }
    return tables;
  }

  /** The tested values of a merged table: observed (draw -1) or one null draw. */
  private static double[] values(int draw, long[] quintuples) {
    Map<NullPairing, JointCounts> tables = tables(quintuples);
    if (draw < 0) {
      return Significance.observed(tables.get(NullPairing.values()[0]).profiles()[0]);
    }
    Map<NullPairing, EntropyProfile> plugIns = new EnumMap<>(NullPairing.class);
    tables.forEach((p, t) -> plugIns.put(p, t.profiles()[0]));
    return Significance.nulls(plugIns);
  }

  /** A record's runs split by group (speaker or source), one record per group. */
  private static List<Tuple2<String, UtteranceRuns.Runs>> split(UtteranceRuns.Runs r,
      boolean bySpeaker) {
    Map<String, List<Integer>> runs = new TreeMap<>();
    for (int i = 0; i < r.size(); i++) {
      runs.computeIfAbsent((bySpeaker ? r.speakers : r.sources)[r.g[i]],
          x -> new ArrayList<>()).add(i);
    }
    List<Tuple2<String, UtteranceRuns.Runs>> out = new ArrayList<>();
    runs.forEach((g, at) -> out.add(new Tuple2<>(g, new UtteranceRuns.Runs(r.id, r.speakers,
        r.sources, pick(r.g, at), pick(r.start, at), pick(r.len, at), pick(r.a, at),
        pick(r.v, at), pick(r.t, at)))));
    return out;
  }

  private static int[] pick(int[] values, List<Integer> at) {
    return at.stream().mapToInt(i -> values[i]).toArray();
  }

  /** {@code x} then {@code y}. */
  static long[] concat(long[] x, long[] y) {
    long[] out = java.util.Arrays.copyOf(x, x.length + y.length);
    System.arraycopy(y, 0, out, x.length, y.length);
    return out;
  }
}
