package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.Iterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * The record path's one pass over a checked input: the valid frames folded into pieces
 * ({@link RunFold}) and the input counted ({@link InputCounts}) as it is read.
 */
final class CheckedFold {
  private CheckedFold() {}

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

    /** Counts a row of the fold's columns and {@code bad}; whether it is a frame to fold. */
    boolean count(InternalRow r) {
      rows++;
      if (r.getBoolean(7)) {
        bad++;
        return false;
      }
      kept++;
      boolean a = !r.isNullAt(4);
      boolean v = !r.isNullAt(5);
      boolean t = !r.isNullAt(6);
      audio += a ? 1 : 0;
      visual += v ? 1 : 0;
      text += t ? 1 : 0;
      missing += a && v && t ? 0 : 1;
      return a && v && t && !r.isNullAt(1);
    }
  }

  /**
   * The pieces of {@link UtteranceRuns#fromFrames} and the input's counts in one pass over a
   * checked input (the frames' columns and a boolean {@code bad}, true for a malformed row):
   * each partition yields its pieces, then its {@link InputCounts}.
   */
  static JavaRDD<Object> fold(Dataset<Row> checked) {
    Dataset<Row> input = UtteranceRuns.columns(checked, col("bad"));
    return input.queryExecution().toRdd().toJavaRDD().mapPartitions(rows -> {
      InputCounts counts = new InputCounts();
      Iterator<UtteranceRuns.Runs> pieces = RunFold.fold(rows, counts::count);
      // The counts follow the pieces: complete once the fold has read every row.
      return Stream.<Object>concat(stream(pieces), Stream.of(counts)).iterator();
    });
  }

  private static <T> Stream<T> stream(Iterator<T> it) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, 0), false);
  }
}
