package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.parallax.avinfo.UtteranceRuns.Runs;

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
  }

  /**
   * The pieces of {@link UtteranceRuns#fromFrames} and the input's counts in one pass over a
   * checked input ({@code checked}: the frames' columns and a boolean {@code bad}, true for a
   * malformed row): each partition yields its pieces, then its {@link InputCounts}. Malformed rows and rows
   * with a missing unit are counted, not folded.
   */
  static JavaRDD<Object> fold(Dataset<Row> checked) {
    Dataset<Row> input = UtteranceRuns.columns(checked, col("bad"));
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
      Iterator<Runs> pieces = RunFold.fold(valid);
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

}
