package org.parallax.bench;

import java.util.List;
import java.util.Map;
import org.parallax.retrieval.Hit;

/**
 * How far two searchers' top-k lists agree, query by query, taking the first as exact (parallax:
 * ties ordered by passage id across the whole corpus) and the second as a peer's: identical ids
 * in order; different only among the passages tied with the first list's last score (a searcher
 * that keeps the first k documents it meets among a tie at the cut may keep other ones); or
 * otherwise different. Scores are compared where both lists agree on the id, the peer's within
 * {@link #TIE_TOLERANCE} for a tie (Anserini's run files round scores to four decimals and
 * step tied ones apart by 1e-6).
 */
final class RankingAgreement {
  static final double TIE_TOLERANCE = 1e-3;
  private long identical;
  private long tiedAtCut;
  private long other;
  private long missing;
  private double maxScoreDifference;

  /** Adds every query of {@code exact}, compared with its list in {@code peer}. */
  RankingAgreement addAll(Map<String, List<Hit>> exact, Map<String, List<Hit>> peer) {
    exact.forEach((q, hits) -> add(hits, peer.getOrDefault(q, List.of())));
    peer.keySet().stream().filter(q -> !exact.containsKey(q)).forEach(q -> missing++);
    return this;
  }

  /** Adds one query's lists. */
  RankingAgreement add(List<Hit> exact, List<Hit> peer) {
    if (exact.size() != peer.size()) {
      other++;
      return this;
    }
    boolean same = true;
    boolean aboveCutSame = true;
    float cut = exact.isEmpty() ? 0 : exact.get(exact.size() - 1).score();
    for (int i = 0; i < exact.size(); i++) {
      Hit e = exact.get(i);
      Hit p = peer.get(i);
      if (e.docId().equals(p.docId())) {
        maxScoreDifference = Math.max(maxScoreDifference, Math.abs(e.score() - p.score()));
        continue;
      }
      same = false;
      aboveCutSame &= e.score() == cut && Math.abs(p.score() - cut) <= TIE_TOLERANCE;
    }
    if (same) {
      identical++;
    } else if (aboveCutSame) {
      tiedAtCut++;
    } else {
      other++;
    }
    return this;
  }

  long identical() {
    return identical;
  }

  long tiedAtCut() {
    return tiedAtCut;
  }

  /** Queries whose lists differ otherwise, or whose list only the peer has. */
  long other() {
    return other + missing;
  }

  double maxScoreDifference() {
    return maxScoreDifference;
  }
}
