package org.parallax.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Collector;
import org.apache.lucene.search.HitQueue;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.Scorable;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;

/**
 * Collects, in one pass of one query over a multi-reader of shards, the top {@code k} documents
 * of each segment under (score descending, document ascending), which within a segment is
 * passage id order (every shard is index-sorted by id, {@link ShardOrder}). Merging those lists
 * by (score, passage id) gives the exact global top k with ties in id order, whatever the number
 * of shards and of segments per shard, whereas a single global top k would break ties by
 * segment first. The query is weighted once for all shards, and pruning is global: besides what
 * cannot enter its segment's top k, a scorer skips every document scoring below the k-th best
 * score seen in any segment (such a document cannot be in the global top k; one scoring equal to
 * it still can, by its id). One instance per query; not thread-safe.
 */
final class PerSegmentTopCollector implements Collector {
  private final HitQueue[] queues;
  /** The k best scores collected so far, over all segments: a min-heap in {@code best[1..size]}. */
  private final float[] best;
  private int size;

  /** {@code segments}: the number of leaves of the searched reader. */
  PerSegmentTopCollector(int segments, int k) {
    this.queues = new HitQueue[segments];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new HitQueue(k, true);
    }
    this.best = new float[k + 1];
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.TOP_SCORES;
  }

  @Override
  public LeafCollector getLeafCollector(LeafReaderContext context) {
    HitQueue queue = queues[context.ord];
    int base = context.docBase;
    return new LeafCollector() {
      private Scorable scorer;
      private ScoreDoc top = queue.top();

      @Override
      public void setScorer(Scorable scorer) throws IOException {
        this.scorer = scorer;
        raiseMinimum();
      }

      @Override
      public void collect(int doc) throws IOException {
        float score = scorer.score();
        // Documents come in increasing (id) order: an equal score loses to the one already held.
        if (score <= top.score || (size == best.length - 1 && score < best[1])) {
          return;
        }
        top.doc = base + doc;
        top.score = score;
        top = queue.updateTop();
        offer(score);
        raiseMinimum();
      }

      private void raiseMinimum() throws IOException {
        float shardMin = top.score == Float.NEGATIVE_INFINITY ? 0f : Math.nextUp(top.score);
        float globalMin = size == best.length - 1 ? best[1] : 0f;
        float min = Math.max(shardMin, globalMin);
        if (min > 0f) {
          scorer.setMinCompetitiveScore(min);
        }
      }
    };
  }

  /** Adds {@code score} to the k best scores when it is one of them. */
  private void offer(float score) {
    int k = best.length - 1;
    if (size < k) {
      int i = ++size;
      while (i > 1 && best[i >> 1] > score) {
        best[i] = best[i >> 1];
        i >>= 1;
      }
      best[i] = score;
    } else if (score > best[1]) {
      int i = 1;
      while (true) {
        int c = i << 1;
        if (c > k) {
          break;
        }
        if (c < k && best[c + 1] < best[c]) {
          c++;
        }
        if (best[c] >= score) {
          break;
        }
        best[i] = best[c];
        i = c;
      }
      best[i] = score;
    }
  }

  /** Each segment's collected documents (multi-reader document numbers), in leaf order. */
  List<List<ScoreDoc>> perSegment() {
    List<List<ScoreDoc>> out = new ArrayList<>(queues.length);
    for (HitQueue q : queues) {
      List<ScoreDoc> docs = new ArrayList<>();
      while (q.size() > 0) {
        ScoreDoc d = q.pop();
        if (d.score != Float.NEGATIVE_INFINITY) {
          docs.add(d);
        }
      }
      out.add(docs);
    }
    return out;
  }
}
