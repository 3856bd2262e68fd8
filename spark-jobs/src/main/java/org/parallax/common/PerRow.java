package org.parallax.common;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * A {@code mapPartitions} function that turns each row into one row, lazily: for executor-side
 * steps that need Java (models, Lucene, protocol logic) and keep one output per input.
 */
public final class PerRow {
  /** A serialisable row-to-row function. */
  @FunctionalInterface
  public interface RowFunction extends Serializable {
    Row apply(Row row);
  }

  private PerRow() {}

  public static MapPartitionsFunction<Row, Row> map(RowFunction f) {
    return rows -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return f.apply(rows.next());
      }
    };
  }
}
