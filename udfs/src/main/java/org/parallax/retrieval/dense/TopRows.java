package org.parallax.retrieval.dense;

import java.util.ArrayList;
import java.util.List;
import org.parallax.retrieval.Hit;

/**
 * The best {@code k} rows of one query, kept as a bounded heap of primitive (score, row) pairs
 * whose root is the worst held. A row enters while fewer than {@code k} are held, and afterwards
 * only when it beats the worst in the order of {@link Hit#ORDER} (higher score by
 * {@link Float#compare}, then smaller id), so the result is the exact top k whatever order the
 * rows are offered in. Not thread-safe.
 */
final class TopRows {
  private final int k;
  private final float[] scores;
  private final int[] rows;
  private final String[] ids;
  private int size;

  /** @param ids the shard's ids, indexed by row (for ties) */
  TopRows(int k, String[] ids) {
    this.k = k;
    this.ids = ids;
    this.scores = new float[k];
    this.rows = new int[k];
  }

  /** The score a row must reach to be considered once {@code k} rows are held. */
  float floor() {
    return size < k ? Float.NEGATIVE_INFINITY : scores[0];
  }

  /** Offers {@code row} with {@code score}. */
  void offer(int row, float score) {
    if (size < k) {
      scores[size] = score;
      rows[size] = row;
      up(size++);
    } else if (score >= scores[0] && worse(0, score, row)) {
      scores[0] = score;
      rows[0] = row;
      down(0);
    }
  }

  /** The rows held as hits without contents, best first. */
  List<Hit> hits() {
    List<Hit> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new Hit(ids[rows[i]], scores[i], null));
    }
    out.sort(Hit.ORDER);
    return out;
  }

  /** Whether held entry {@code i} ranks below (score, row). */
  private boolean worse(int i, float score, int row) {
    int c = Float.compare(scores[i], score);
    return c < 0 || (c == 0 && ids[rows[i]].compareTo(ids[row]) > 0);
  }

  private boolean worse(int i, int j) {
    return worse(i, scores[j], rows[j]);
  }

  private void up(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(i, parent)) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void down(int i) {
    while (true) {
      int worst = i;
      int left = 2 * i + 1;
      if (left < size && worse(left, worst)) {
        worst = left;
      }
      if (left + 1 < size && worse(left + 1, worst)) {
        worst = left + 1;
      }
      if (worst == i) {
        return;
      }
      swap(i, worst);
      i = worst;
    }
  }

  private void swap(int i, int j) {
    float s = scores[i];
    scores[i] = scores[j];
    scores[j] = s;
    int r = rows[i];
    rows[i] = rows[j];
    rows[j] = r;
  }
}
