package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.parallax.avinfo.UtteranceRuns.Runs;

/**
 * The one exchange of the record path: pieces of utterances ({@link RunFold}) exchanged by
 * utterance and sorted, the pieces of one utterance merged into its record (a single piece
 * passes as it is, several are expanded to frames and folded again, so a frame given in
 * several pieces keeps the same row as within one).
 */
final class PieceExchange {
  private PieceExchange() {}

  /** Pieces exchanged by utterance and sorted, the pieces of one utterance merged. */
  static JavaRDD<Runs> merged(JavaRDD<Runs> pieces, int partitions) {
    return mergedChecked(pieces.map(r -> (Object) r), partitions).map(o -> (Runs) o);
  }

  /**
   * Pieces exchanged by utterance and sorted, the pieces of one utterance merged, any other
   * object (the {@link CheckedFold.InputCounts} of {@link CheckedFold#fold}: keyed by null, so
   * sorted first wherever they land) passed through as it is: one record per utterance and every
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
        RunFold.Frames frames = null;
        while (pieces.hasNext()) {
          Runs r = pieces.next()._2();
          if (!r.id.equals(first.id)) {
            pending = r;
            break;
          }
          if (frames == null) {
            frames = new RunFold.Frames();
            frames.addAll(first);
          }
          frames.addAll(r);
        }
        return frames == null ? first : frames.fold(first.id);
      }
    };
  }

}
