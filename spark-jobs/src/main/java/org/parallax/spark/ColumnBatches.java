package org.parallax.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.parallax.common.LazyFlatMap;

/**
 * The per-partition step of parallax's batched transformers: reads a partition's rows
 * {@code chunk} at a time, hands the chunk's non-null values of one string column to a model or
 * index in one call ({@link Call}), and appends the results as a new last column (null where the
 * input is null). The resource behind the call is opened once per task, from per-JVM caches.
 */
final class ColumnBatches implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** One model or index call over many inputs; opened on the executor. */
  interface Call extends Serializable {
    /** The results of {@code inputs}, in their order. */
    List<?> apply(List<String> inputs);
  }

  /** Opens the {@link Call} of a task on the executor. */
  interface Opener extends Serializable {
    Call open();
  }

  private final int column;
  private final int chunk;
  private final Opener opener;

  ColumnBatches(int column, int chunk, Opener opener) {
    this.column = column;
    this.chunk = chunk;
    this.opener = opener;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    Call call = opener.open();
    Iterator<List<Row>> chunks = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public List<Row> next() {
        List<Row> in = new ArrayList<>(chunk);
        while (in.size() < chunk && rows.hasNext()) {
          in.add(rows.next());
        }
        return in;
      }
    };
    return new LazyFlatMap<List<Row>, Row>(chunks, in -> withResults(in, call));
  }

  private List<Row> withResults(List<Row> in, Call call) {
    List<String> inputs = new ArrayList<>(in.size());
    for (Row r : in) {
      if (!r.isNullAt(column)) {
        inputs.add(r.getString(column));
      }
    }
    List<?> results = inputs.isEmpty() ? List.of() : call.apply(inputs);
    List<Row> out = new ArrayList<>(in.size());
    int next = 0;
    for (Row r : in) {
      Object[] values = new Object[r.length() + 1];
      for (int i = 0; i < r.length(); i++) {
        values[i] = r.get(i);
      }
      values[r.length()] = r.isNullAt(column) ? null : results.get(next++);
      out.add(RowFactory.create(values));
    }
    return out;
  }
}
