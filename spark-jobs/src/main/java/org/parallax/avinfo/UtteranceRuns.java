package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Every utterance's frames folded into runs (maximal stretches of consecutive frames with the
 * same A, V, T, speaker and data source), one record per utterance, with the frames crossing
 * the network never: each input partition folds the frames of every stretch of rows of one
 * utterance into runs in memory (utterances are contiguous in generated and most users'
 * files), and only those compact pieces are exchanged by utterance; an utterance whose rows
 * came in several pieces (split across files or partitions, or not contiguous) has its pieces
 * expanded back to frames, merged and folded again. A frame given more than once keeps its
 * least row by (units, speaker, data source), within a piece and across pieces alike, so the
 * records equal the runs of {@link StatsJob#runs} (a test). A record: {@code utterance_id},
 * {@code speakers} and {@code sources} (the utterance's distinct (speaker, source) pairs, a
 * missing one as {@code unknown}), and per run, in frame order, {@code g} (its pair),
 * {@code start}, {@code len}, {@code a}, {@code v}, {@code t}.
 */
final class UtteranceRuns {
  private UtteranceRuns() {}

  static final StructType SCHEMA = new StructType()
      .add("utterance_id", DataTypes.StringType, false)
      .add("speakers", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("sources", DataTypes.createArrayType(DataTypes.StringType, false), false)
      .add("g", ints(), false).add("start", ints(), false).add("len", ints(), false)
      .add("a", ints(), false).add("v", ints(), false).add("t", ints(), false);

  private static org.apache.spark.sql.types.ArrayType ints() {
    return DataTypes.createArrayType(DataTypes.IntegerType, false);
  }

  /**
   * The per-utterance run records ({@link #SCHEMA}) of frames with non-null units
   * ({@code utterance_id, frame, speaker_id, data_source, audio_unit, visual_unit,
   * text_unit}); a row without a frame number is ignored.
   */
  static Dataset<Row> records(Dataset<Row> frames) {
    return frame(frames.sparkSession(), fromFrames(frames));
  }

  /**
   * The per-utterance run records of frames as {@link #records}, as objects: each input
   * partition folds its stretches of rows into pieces (read as Spark's internal rows, no
   * conversion to external rows), the pieces are exchanged by utterance and sorted, and the
   * pieces of one utterance merged.
   */
  static JavaRDD<Runs> fromFrames(Dataset<Row> frames) {
    Dataset<Row> input = columns(frames.filter(col("frame").isNotNull()));
    return merged(input.queryExecution().toRdd().toJavaRDD().mapPartitions(UtteranceRuns::fold),
        partitions(input.sparkSession()));
  }

  /**
   * The columns the fold reads, in its order: {@code utterance_id, frame, speaker, source} (a
   * missing one as {@code unknown}) and the three units, then {@code extra}.
   */
  private static Dataset<Row> columns(Dataset<Row> frames, org.apache.spark.sql.Column... extra) {
    String[] u = StatsJob.UNITS;
    List<org.apache.spark.sql.Column> c = new ArrayList<>(List.of(col("utterance_id"),
        col("frame"), functions.coalesce(col("speaker_id"), lit("unknown")),
        functions.coalesce(col("data_source"), lit("unknown")), col(u[0]), col(u[1]), col(u[2])));
    c.addAll(Arrays.asList(extra));
    return frames.select(c.toArray(new org.apache.spark.sql.Column[0]));
  }

  /** The session's number of shuffle partitions, the records' partitions. */
  static int partitions(org.apache.spark.sql.SparkSession spark) {
    return Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
  }

  /** Pieces exchanged by utterance and sorted, the pieces of one utterance merged. */
  static JavaRDD<Runs> merged(JavaRDD<Runs> pieces, int partitions) {
    return mergedChecked(pieces.map(r -> (Object) r), partitions).map(o -> (Runs) o);
  }

  /**
   * Pieces exchanged by utterance and sorted, the pieces of one utterance merged, any other
   * object (the {@link InputCounts} of {@link #foldChecked}: keyed by null, so sorted first
   * wherever they land) passed through as it is: one record per utterance and every
   * partition's counts, without keeping the pieces.
   */
  static JavaRDD<Object> mergedChecked(JavaRDD<Object> piecesAndCounts, int partitions) {
    java.util.Comparator<String> order = java.util.Comparator.nullsFirst(
        java.util.Comparator.<String>naturalOrder());
    return piecesAndCounts.mapToPair(o -> o instanceof Runs r ? new scala.Tuple2<>(r.id, o)
            : new scala.Tuple2<String, Object>(null, o))
        .repartitionAndSortWithinPartitions(new org.apache.spark.HashPartitioner(partitions),
            order)
        .mapPartitions(rows -> {
          List<Object> counts = new ArrayList<>();
          scala.Tuple2<String, Object> first = null;
          while (rows.hasNext()) {
            scala.Tuple2<String, Object> r = rows.next();
            if (r._1() != null) {
              first = r;
              break;
            }
            counts.add(r._2());
          }
          scala.Tuple2<String, Object> head = first;
          Iterator<scala.Tuple2<String, Runs>> pieces = new Iterator<>() {
            private scala.Tuple2<String, Object> pending = head;

            @Override
            public boolean hasNext() {
              return pending != null || rows.hasNext();
            }

            @Override
            public scala.Tuple2<String, Runs> next() {
              scala.Tuple2<String, Object> r = pending != null ? pending : rows.next();
              pending = null;
              return new scala.Tuple2<>(r._1(), (Runs) r._2());
            }
          };
          Iterator<Runs> merged = merge(pieces);
          Iterator<Object> counted = counts.iterator();
          return new Iterator<Object>() {
            @Override
            public boolean hasNext() {
              return counted.hasNext() || merged.hasNext();
            }

            @Override
            public Object next() {
              return counted.hasNext() ? counted.next() : merged.next();
            }
          };
        });
  }

  /**
   * What the fold's pass over a checked input counted besides the runs: rows, malformed rows,
   * and of the well-formed ones, the non-null A, V and T, the rows and those with a missing
   * unit (set aside). Exact: carried out of each task as data, not as accumulators.
   */
  static final class InputCounts implements Serializable {
    private static final long serialVersionUID = 1L;
    long rows;
    long bad;
    long audio;
    long visual;
    long text;
    long kept;
    long missing;

    InputCounts merge(InputCounts o) {
      rows += o.rows;
      bad += o.bad;
      audio += o.audio;
      visual += o.visual;
      text += o.text;
      kept += o.kept;
      missing += o.missing;
      return this;
    }
  }

  /**
   * The pieces of {@link #fromFrames} and the input's counts in one pass over a checked input
   * ({@code checked}: the frames' columns and a boolean {@code bad}, true for a malformed row):
   * each partition yields its pieces, then its {@link InputCounts}. Malformed rows and rows
   * with a missing unit are counted, not folded.
   */
  static JavaRDD<Object> foldChecked(Dataset<Row> checked) {
    Dataset<Row> input = columns(checked, col("bad"));
    return input.queryExecution().toRdd().toJavaRDD().mapPartitions(rows -> {
      InputCounts counts = new InputCounts();
      Iterator<InternalRow> valid = new Iterator<>() {
        private InternalRow next;

        @Override
        public boolean hasNext() {
          while (next == null && rows.hasNext()) {
            InternalRow r = rows.next();
            counts.rows++;
            if (r.getBoolean(7)) {
              counts.bad++;
              continue;
            }
            counts.kept++;
            boolean a = !r.isNullAt(4);
            boolean v = !r.isNullAt(5);
            boolean t = !r.isNullAt(6);
            counts.audio += a ? 1 : 0;
            counts.visual += v ? 1 : 0;
            counts.text += t ? 1 : 0;
            if (!(a && v && t)) {
              counts.missing++;
            } else if (!r.isNullAt(1)) {
              next = r;
            }
          }
          return next != null;
        }

        @Override
        public InternalRow next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          InternalRow out = next;
          next = null;
          return out;
        }
      };
      Iterator<Runs> pieces = fold(valid);
      return new Iterator<Object>() {
        private boolean counted;

        @Override
        public boolean hasNext() {
          return pieces.hasNext() || !counted;
        }

        @Override
        public Object next() {
          if (pieces.hasNext()) {
            return pieces.next();
          }
          if (counted) {
            throw new java.util.NoSuchElementException();
          }
          counted = true;
          return counts;
        }
      };
    });
  }

  /**
   * The whole joint table of the records: each partition sums its runs' frames by cell, the
   * driver the partitions' few hundred cells.
   */
  static JointCounts total(JavaRDD<Runs> records) {
    List<long[]> parts = records.mapPartitions(it -> {
      CellCounts cells = new CellCounts();
      while (it.hasNext()) {
        Runs r = it.next();
        for (int i = 0; i < r.size(); i++) {
          cells.add(r.a[i], r.v[i], r.t[i], r.len[i]);
        }
      }
      return List.of(cells.packed()).iterator();
    }).collect();
    JointCounts out = new JointCounts();
    for (long[] p : parts) {
      for (int i = 0; i < p.length; i += 4) {
        out.add((int) p[i], (int) p[i + 1], (int) p[i + 2], p[i + 3]);
      }
    }
    return out;
  }

  /** Records as a Spark table of {@link #SCHEMA}. */
  static Dataset<Row> frame(org.apache.spark.sql.SparkSession spark, JavaRDD<Runs> records) {
    return spark.internalCreateDataFrame(records.map(Runs::internal).rdd(), SCHEMA, false);
  }

  /**
   * The runs of the records, one row each ({@code utterance_id, speaker_id, data_source,
   * audio_unit, visual_unit, text_unit, start, len}, as {@link StatsJob#runs}).
   */
  static Dataset<Row> runs(Dataset<Row> records) {
    String[] u = StatsJob.UNITS;
    return records.select(col("utterance_id"), col("speakers"), col("sources"),
            functions.explode(functions.arrays_zip(col("g"), col("start"), col("len"), col("a"),
                col("v"), col("t"))).as("r"))
        .select(col("utterance_id"),
            functions.element_at(col("speakers"), col("r.g").plus(1)).as("speaker_id"),
            functions.element_at(col("sources"), col("r.g").plus(1)).as("data_source"),
            col("r.a").as(u[0]), col("r.v").as(u[1]), col("r.t").as(u[2]),
            col("r.start").as("start"), col("r.len").cast("long").as("len"));
  }

  /** The runs of one utterance in memory (a record). */
  static final class Runs implements Serializable {
    private static final long serialVersionUID = 1L;
    final String id;
    final String[] speakers;
    final String[] sources;
    final int[] g;
    final int[] start;
    final int[] len;
    final int[] a;
    final int[] v;
    final int[] t;

    Runs(String id, String[] speakers, String[] sources, int[] g, int[] start, int[] len,
        int[] a, int[] v, int[] t) {
      this.id = id;
      this.speakers = speakers;
      this.sources = sources;
      this.g = g;
      this.start = start;
      this.len = len;
      this.a = a;
      this.v = v;
      this.t = t;
    }

    int size() {
      return start.length;
    }

    /** The record of {@link #SCHEMA} in Spark's internal form. */
    InternalRow internal() {
      return new org.apache.spark.sql.catalyst.expressions.GenericInternalRow(new Object[] {
        UTF8String.fromString(id), utf8(speakers), utf8(sources), ints(g), ints(start), ints(len),
        ints(a), ints(v), ints(t)});
    }

    private static org.apache.spark.sql.catalyst.util.ArrayData ints(int[] values) {
      return org.apache.spark.sql.catalyst.expressions.UnsafeArrayData.fromPrimitiveArray(values);
    }

    private static org.apache.spark.sql.catalyst.util.ArrayData utf8(String[] values) {
      Object[] out = new Object[values.length];
      for (int i = 0; i < out.length; i++) {
        out[i] = UTF8String.fromString(values[i]);
      }
      return new org.apache.spark.sql.catalyst.util.GenericArrayData(out);
    }

  }

  /** Folds every stretch of rows of one utterance in a partition into one piece. */
  private static Iterator<Runs> fold(Iterator<InternalRow> rows) {
    return new Iterator<>() {
      private final Frames frames = new Frames();
      private UTF8String current;
      private Runs next;

      @Override
      public boolean hasNext() {
        while (next == null && rows.hasNext()) {
          InternalRow r = rows.next();
          UTF8String id = r.getUTF8String(0);
          if (current != null && !current.equals(id)) {
            next = frames.fold(current.toString());
            frames.clear();
          }
          if (current == null || next != null) {
            current = id.clone();
          }
          frames.add(r.getInt(1), r.getUTF8String(2), r.getUTF8String(3), r.getInt(4),
              r.getInt(5), r.getInt(6));
        }
        if (next == null && current != null) {
          next = frames.fold(current.toString());
          frames.clear();
          current = null;
        }
        return next != null;
      }

      @Override
      public Runs next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Runs out = next;
        next = null;
        return out;
      }
    };
  }

  /**
   * Merges consecutive pieces of the same utterance (rows sorted by utterance): a single piece
   * passes as it is, several are expanded to frames and folded again.
   */
  private static Iterator<Runs> merge(Iterator<scala.Tuple2<String, Runs>> pieces) {
    return new Iterator<>() {
      private Runs pending = pieces.hasNext() ? pieces.next()._2() : null;

      @Override
      public boolean hasNext() {
        return pending != null;
      }

      @Override
      public Runs next() {
        if (pending == null) {
          throw new java.util.NoSuchElementException();
        }
        Runs first = pending;
        pending = null;
        Frames frames = null;
        while (pieces.hasNext()) {
          Runs r = pieces.next()._2();
          if (!r.id.equals(first.id)) {
            pending = r;
            break;
          }
          if (frames == null) {
            frames = new Frames();
            frames.addAll(first);
          }
          frames.addAll(r);
        }
        return frames == null ? first : frames.fold(first.id);
      }
    };
  }

  /** The merged record of several pieces of one utterance (for tests and the merge). */
  static Runs merged(String id, List<Runs> pieces) {
    Frames f = new Frames();
    pieces.forEach(f::addAll);
    return f.fold(id);
  }

  /** One utterance's frames being collected, folded into runs by {@link #fold}. */
  static final class Frames {
    private int n;
    private int[] frame = new int[64];
    private int[] a = new int[64];
    private int[] v = new int[64];
    private int[] t = new int[64];
    private int[] g = new int[64];
    private final List<String> speakers = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    private final Map<List<String>, Integer> groups = new HashMap<>();
    private UTF8String lastSpeaker;
    private UTF8String lastSource;
    private int lastGroup = -1;

    void clear() {
      n = 0;
      speakers.clear();
      sources.clear();
      groups.clear();
      lastSpeaker = null;
      lastSource = null;
      lastGroup = -1;
    }

    void add(int f, UTF8String speaker, UTF8String source, int au, int vu, int tu) {
      if (lastGroup < 0 || !speaker.equals(lastSpeaker) || !source.equals(lastSource)) {
        lastSpeaker = speaker.clone();
        lastSource = source.clone();
        lastGroup = group(speaker.toString(), source.toString());
      }
      add(f, lastGroup, au, vu, tu);
    }

    private int group(String speaker, String source) {
      return groups.computeIfAbsent(List.of(speaker, source), k -> {
        speakers.add(speaker);
        sources.add(source);
        return speakers.size() - 1;
      });
    }

    private void add(int f, int group, int au, int vu, int tu) {
      if (n == frame.length) {
        int size = n * 2;
        frame = Arrays.copyOf(frame, size);
        a = Arrays.copyOf(a, size);
        v = Arrays.copyOf(v, size);
        t = Arrays.copyOf(t, size);
        g = Arrays.copyOf(g, size);
      }
      frame[n] = f;
      a[n] = au;
      v[n] = vu;
      t[n] = tu;
      g[n] = group;
      n++;
    }

    /** Adds a piece's frames back, one per frame of each run. */
    void addAll(Runs piece) {
      lastGroup = -1;
      for (int i = 0; i < piece.size(); i++) {
        int group = group(piece.speakers[piece.g[i]], piece.sources[piece.g[i]]);
        for (int f = 0; f < piece.len[i]; f++) {
          add(piece.start[i] + f, group, piece.a[i], piece.v[i], piece.t[i]);
        }
      }
    }

    /**
     * The runs of the frames: sorted by (frame, units, speaker, source), the first row of each
     * frame kept, consecutive frames with the same units and group folded.
     */
    Runs fold(String id) {
      int[] order = sortedOrder();
      int[] rg = new int[n];
      int[] rs = new int[n];
      int[] rl = new int[n];
      int[] ra = new int[n];
      int[] rv = new int[n];
      int[] rt = new int[n];
      int runs = 0;
      int prev = -1;
      for (int k = 0; k < n; k++) {
        int i = order[k];
        if (prev >= 0 && frame[i] == frame[prev]) {
          continue;
        }
        int last = runs - 1;
        if (last >= 0 && frame[i] == frame[prev] + 1 && a[i] == ra[last] && v[i] == rv[last]
            && t[i] == rt[last] && g[i] == rg[last]) {
          rl[last]++;
        } else {
          rg[runs] = g[i];
          rs[runs] = frame[i];
          rl[runs] = 1;
          ra[runs] = a[i];
          rv[runs] = v[i];
          rt[runs] = t[i];
          runs++;
        }
        prev = i;
      }
      // Only the groups of kept frames: a dropped duplicate's speaker is no speaker.
      int[] renumbered = new int[speakers.size()];
      Arrays.fill(renumbered, -1);
      List<String> keptSpeakers = new ArrayList<>();
      List<String> keptSources = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        if (renumbered[rg[r]] < 0) {
          renumbered[rg[r]] = keptSpeakers.size();
          keptSpeakers.add(speakers.get(rg[r]));
          keptSources.add(sources.get(rg[r]));
        }
        rg[r] = renumbered[rg[r]];
      }
      return new Runs(id, keptSpeakers.toArray(new String[0]),
          keptSources.toArray(new String[0]), Arrays.copyOf(rg, runs), Arrays.copyOf(rs, runs), Arrays.copyOf(rl, runs),
          Arrays.copyOf(ra, runs), Arrays.copyOf(rv, runs), Arrays.copyOf(rt, runs));
    }

    /** Spark's order of strings (UTF-8 bytes, not UTF-16 code units as String's). */
    private static int binary(String x, String y) {
      return UTF8String.fromString(x).compareTo(UTF8String.fromString(y));
    }

    /** Row indices by (frame, a, v, t, speaker, source); the identity when already so. */
    private int[] sortedOrder() {
      int[] order = new int[n];
      boolean sorted = true;
      for (int i = 0; i < n; i++) {
        order[i] = i;
        sorted &= i == 0 || frame[i] > frame[i - 1];
      }
      if (sorted) {
        return order;
      }
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = i;
      }
      Arrays.sort(boxed, (x, y) -> {
        int c = Integer.compare(frame[x], frame[y]);
        c = c != 0 ? c : Integer.compare(a[x], a[y]);
        c = c != 0 ? c : Integer.compare(v[x], v[y]);
        c = c != 0 ? c : Integer.compare(t[x], t[y]);
        c = c != 0 ? c : binary(speakers.get(g[x]), speakers.get(g[y]));
        return c != 0 ? c : binary(sources.get(g[x]), sources.get(g[y]));
      });
      for (int i = 0; i < n; i++) {
        order[i] = boxed[i];
      }
      return order;
    }
  }
}
