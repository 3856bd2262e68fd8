package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The record path's per-utterance run records: every utterance's valid frames folded into runs
 * (maximal stretches of consecutive frames with the same A, V, T, speaker and data source), one
 * record per utterance, the frames crossing the network never: each input partition folds its
 * stretches of rows of one utterance into pieces ({@link RunFold}, or {@link CheckedFold}
 * counting the input too), and only those pieces are exchanged by utterance and merged
 * ({@link PieceExchange}). The records equal the runs of {@link StatsJob#runs} (a test). A
 * record: {@code utterance_id}, {@code speakers} and {@code sources} (the (speaker, source)
 * pairs of its kept frames, a missing one as {@code unknown}), and per run, in frame order,
 * {@code g} (its pair), {@code start}, {@code len}, {@code a}, {@code v}, {@code t}.
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
    return PieceExchange.merged(input.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(RunFold::fold),
        partitions(input.sparkSession()));
  }

  /**
   * The columns the fold reads, in its order: {@code utterance_id, frame, speaker, source} (a
   * missing one as {@code unknown}) and the three units, then {@code extra}.
   */
  static Dataset<Row> columns(Dataset<Row> frames, org.apache.spark.sql.Column... extra) {
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
}
