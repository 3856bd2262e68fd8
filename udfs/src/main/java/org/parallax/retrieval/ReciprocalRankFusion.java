package org.parallax.retrieval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, SIGIR 2009): a passage's fused score is
 * the sum over rankings of {@code 1 / (c + rank)} (rank from 1) over the rankings it appears in.
 * It needs no score calibration between BM25 and inner products, which live on unrelated scales.
 * The constant {@code c} damps the top ranks: with c = 60 (the paper's value, found robust
 * across collections) rank 1 is worth 1/61 and rank 10 1/70, so a passage both retrievers rank
 * well beats one that a single retriever ranks first. Ties are broken by passage id.
 */
public final class ReciprocalRankFusion {
  /** The constant of the original paper, the default of {@code --rrf-k}. */
  public static final int DEFAULT_K = 60;

  private ReciprocalRankFusion() {}

  /** The fused top {@code k} of {@code rankings} (each best first), scores the fused sums. */
  public static List<Hit> fuse(List<List<Hit>> rankings, int c, int k) {
    Map<String, double[]> score = new LinkedHashMap<>();
    Map<String, String> contents = new LinkedHashMap<>();
    for (List<Hit> ranking : rankings) {
      for (int r = 0; r < ranking.size(); r++) {
        Hit h = ranking.get(r);
        score.computeIfAbsent(h.docId(), id -> new double[1])[0] += 1.0 / (c + r + 1);
        if (h.contents() != null) {
          contents.putIfAbsent(h.docId(), h.contents());
        }
      }
    }
    List<Hit> fused = new ArrayList<>(score.size());
    score.forEach((id, s) -> fused.add(new Hit(id, (float) s[0], contents.get(id))));
    fused.sort(Hit.ORDER);
    return fused.size() <= k ? fused : new ArrayList<>(fused.subList(0, k));
  }
}
