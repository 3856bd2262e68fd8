package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.parallax.avinfo.UtteranceRuns.Runs;
import scala.Tuple2;

/**
 * The one exchange of the record path: pieces of utterances ({@link RunFold}) exchanged by
 * utterance and sorted, the pieces of one utterance merged into its record (a single piece
 * passes as it is, several are expanded to frames and folded again, so a frame given in
 * several pieces keeps the same row as within one).
 */
final class PieceExchange {
  private PieceExchange() {}

  /**
   * Pieces exchanged by utterance and sorted, the pieces of one utterance merged; any other object
   * (the {@link CheckedFold.InputCounts} of {@link CheckedFold#fold}: keyed by null, so sorted
   * first) passed through as it is.
   */
  static JavaRDD<Object> merged(JavaRDD<Object> piecesAndCounts, int partitions) {
    // Sorted here, not by Spark's sorter: it sizes its buffer by walking the records, often.
    return piecesAndCounts.mapToPair(o -> new Tuple2<>(o instanceof Runs r ? r.id : null, o))
        .partitionBy(new HashPartitioner(partitions)).mapPartitions(it -> {
          List<Tuple2<String, Object>> all = new ArrayList<>();
          it.forEachRemaining(all::add);
          all.sort(Comparator.comparing(Tuple2::_1, Comparator.nullsFirst(
              Comparator.<String>naturalOrder())));
          return merge(all.iterator());
        });
  }

  /** Consecutive pieces of one utterance merged, anything else passed through. */
  private static Iterator<Object> merge(Iterator<Tuple2<String, Object>> sorted) {
    return new Iterator<>() {
      private Object pending = advance();

      private Object advance() {
        return sorted.hasNext() ? sorted.next()._2() : null;
      }

      @Override
      public boolean hasNext() {
        return pending != null;
      }

      @Override
      public Object next() {
        if (pending == null) {
          throw new NoSuchElementException();
        }
        Object first = pending;
        pending = advance();
        if (!(first instanceof Runs r)) {
          return first;
        }
        RunFold.Frames frames = null;
        while (pending instanceof Runs p && p.id.equals(r.id)) {
          if (frames == null) {
            frames = new RunFold.Frames();
            frames.addAll(r);
          }
          frames.addAll(p);
          pending = advance();
        }
        return frames == null ? r : frames.fold(r.id);
      }
    };
  }
}
