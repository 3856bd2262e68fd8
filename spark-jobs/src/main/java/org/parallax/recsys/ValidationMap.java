package org.parallax.recsys;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * MAP@k of a model being trained on the validation examples, as RelBench defines it and {@code
 * recsys eval} computes it (average precision over the top k divided by {@code min(|labels|, k)}),
 * from the trainer's exact ranking ({@link ContextGnnTrainer#recommend}) at each example's cutoff.
 */
final class ValidationMap {
  private ValidationMap() {}

  static double of(Iterator<TrainExample> examples, TrainOptions o, ContextGnnTrainer trainer) {
    UserBatch batch = new UserBatch(o.batchSize(), o.fanout());
    List<TrainExample> slice = new ArrayList<>(o.batchSize());
    double sum = 0;
    long n = 0;
    while (examples.hasNext()) {
      batch.clear();
      slice.clear();
      while (examples.hasNext() && !batch.isFull()) {
        TrainExample e = examples.next();
        e.addTo(batch);
        slice.add(e);
      }
      Recommendations[] recs = trainer.recommend(batch, o.k());
      for (int u = 0; u < slice.size(); u++) {
        sum += averagePrecision(recs[u].items(), slice.get(u).positives, o.k());
      }
      n += slice.size();
    }
    return n == 0 ? 0 : sum / n;
  }

  /** AP@k of a ranking against {@code truth}, over {@code min(|truth|, k)}. */
  static double averagePrecision(int[] ranked, int[] truth, int k) {
    java.util.Set<Integer> relevant = new java.util.HashSet<>();
    for (int t : truth) {
      relevant.add(t);
    }
    double hits = 0;
    double sum = 0;
    for (int i = 0; i < Math.min(k, ranked.length); i++) {
      if (relevant.contains(ranked[i])) {
        hits++;
        sum += hits / (i + 1);
      }
    }
    return relevant.isEmpty() ? 0 : sum / Math.min(relevant.size(), k);
  }
}
