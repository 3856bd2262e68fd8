package org.parallax.retrieval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Merges per-shard result lists into one top-k list in {@link Hit#ORDER}. */
public final class TopK {
  private TopK() {}

  public static List<Hit> merge(Collection<List<Hit>> perShard, int k) {
    List<Hit> all = new ArrayList<>();
    perShard.forEach(all::addAll);
    all.sort(Hit.ORDER);
    return all.size() <= k ? all : new ArrayList<>(all.subList(0, k));
  }
}
