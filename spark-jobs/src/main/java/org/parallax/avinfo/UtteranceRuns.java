package org.parallax.avinfo;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The record path's per-utterance run records ({@link Runs}): each input partition folds its
 * stretches of rows of one utterance into pieces ({@link RunFold}), and only the pieces are
 * exchanged by utterance and merged ({@link PieceExchange}); frames never cross the network.
 */
final class UtteranceRuns {
  private UtteranceRuns() {}

  /**
   * The records of frames with non-null units ({@code utterance_id, frame, speaker_id,
   * data_source} and the three units); a row without a frame number is ignored.
   */
  static JavaRDD<Runs> fromFrames(Dataset<Row> frames) {
    Dataset<Row> input = columns(frames.filter(col("frame").isNotNull()));
    return PieceExchange.merged(input.queryExecution().toRdd().toJavaRDD()
        .mapPartitions(rows -> RunFold.fold(rows, r -> true)).map(r -> (Object) r),
        partitions(input.sparkSession())).map(o -> (Runs) o);
  }

  /**
   * The columns the fold reads, in its order: {@code utterance_id, frame, speaker, source} (a
   * missing one as {@code unknown}) and the three units, then {@code extra}.
   */
  static Dataset<Row> columns(Dataset<Row> frames, Column... extra) {
    String[] u = StatsJob.UNITS;
    List<Column> c = new ArrayList<>(List.of(col("utterance_id"), col("frame"),
        coalesce(col("speaker_id"), lit("unknown")), coalesce(col("data_source"),
        lit("unknown")), col(u[0]), col(u[1]), col(u[2])));
    c.addAll(Arrays.asList(extra));
    return frames.select(c.toArray(new Column[0]));
  }

  /** The session's number of shuffle partitions, the records' partitions. */
  static int partitions(SparkSession spark) {
    return Integer.parseInt(spark.conf().get("spark.sql.shuffle.partitions"));
  }

  /**
   * One utterance's runs (maximal stretches of consecutive kept frames with the same A, V, T
   * and (speaker, source) group), in frame order: run i of group {@code g[i]} (an index into
   * {@code speakers} and {@code sources}, the groups of kept frames only) covers {@code len[i]}
   * frames from {@code start[i]} at units ({@code a[i], v[i], t[i]}).
   */
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

    /** Adds the frames of the runs of group {@code group} (every run for -1) to {@code cells}. */
    void addTo(CellCounts cells, int group) {
      for (int i = 0; i < start.length; i++) {
        if (group < 0 || g[i] == group) {
          cells.add(a[i], v[i], t[i], len[i]);
        }
      }
    }
  }
}
