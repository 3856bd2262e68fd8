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
 * of each shard under (score descending, document ascending), which within a shard is passage id
 * order. Merging those lists by (score, passage id) gives the exact global top k with ties in id
 * order, whereas a single global top k would break ties by shard first. The query is weighted
 * once for all shards; each shard's scorers skip what cannot enter that shard's top k, as
 * Lucene's own top-score collector does. One instance per query; not thread-safe.
 */
final class PerShardTopCollector implements Collector {
  private final int[] docBase;
  private final HitQueue[] queues;

  /** {@code docBase}: the first document of each shard in the multi-reader, ascending. */
  PerShardTopCollector(int[] docBase, int k) {
    this.docBase = docBase;
    this.queues = new HitQueue[docBase.length];
    for (int i = 0; i < queues.length; i++) {
      queues[i] = new HitQueue(k, true);
    }
  }

  @Override
  public ScoreMode scoreMode() {
    return ScoreMode.TOP_SCORES;
  }

  @Override
  public LeafCollector getLeafCollector(LeafReaderContext context) {
    int shard = shardOf(docBase, context.docBase);
    HitQueue queue = queues[shard];
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
        // Documents come in increasing order: an equal score loses to the one already held.
        if (score <= top.score) {
          return;
        }
        top.doc = base + doc;
        top.score = score;
        top = queue.updateTop();
        raiseMinimum();
      }

      private void raiseMinimum() throws IOException {
        if (top.score != Float.NEGATIVE_INFINITY) {
          scorer.setMinCompetitiveScore(Math.nextUp(top.score));
        }
      }
    };
  }

  /** Each shard's collected documents (multi-reader document numbers), shard by shard. */
  List<List<ScoreDoc>> perShard() {
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

  /** The shard holding multi-reader document {@code doc} (empty shards are skipped). */
  static int shardOf(int[] docBase, int doc) {
    int i = java.util.Arrays.binarySearch(docBase, doc);
    if (i < 0) {
      return -i - 2;
    }
    while (i + 1 < docBase.length && docBase[i + 1] == doc) {
      i++; // an empty shard shares its successor's base
    }
    return i;
  }
}
