package org.parallax.recsys;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * One training example of ContextGNN held on the driver: a (user, cutoff)'s familiar items with
 * their pair features and its label items, all as catalogue indices (items the catalogue does not
 * know are dropped and counted), and its window (whose item features it reads).
 */
final class TrainExample {
  final int[] items;
  final double[] recencyDays;
  final long[] counts;
  final double[] decayed;
  final int[] ranks;
  final int[] positives;
  final int window;

  private TrainExample(int[] items, double[] recencyDays, long[] counts, double[] decayed,
      int[] ranks, int[] positives, int window) {
    this.items = items;
    this.recencyDays = recencyDays;
    this.counts = counts;
    this.decayed = decayed;
    this.ranks = ranks;
    this.positives = positives;
    this.window = window;
  }

  /**
   * From {@code familiar} (rows of (recency_rank, item_id, count, recency_days, decayed), most
   * recent first; null for a user without history) and {@code label_items} (array of item ids); null when no label is known.
   *
   * @param window the example's window (its cutoff): the row of the item-feature table it reads
   * @param unknown incremented per dropped item id
   */
  static TrainExample of(List<Row> familiar, List<Long> labels, int window, Catalogue catalogue,
      long[] unknown) {
    List<Row> fam = familiar == null ? List.of() : familiar;
    List<Integer> keep = new ArrayList<>();
    for (int i = 0; i < fam.size(); i++) {
      if (catalogue.index(fam.get(i).getLong(1)) >= 0) {
        keep.add(i);
      } else {
        unknown[0]++;
      }
    }
    int n = keep.size();
    int[] items = new int[n];
    double[] recency = new double[n];
    long[] counts = new long[n];
    double[] decayed = new double[n];
    int[] ranks = new int[n];
    for (int j = 0; j < n; j++) {
      Row r = fam.get(keep.get(j));
      ranks[j] = r.getInt(0);
      items[j] = catalogue.index(r.getLong(1));
      counts[j] = r.getLong(2);
      recency[j] = r.getDouble(3);
      decayed[j] = r.getDouble(4);
    }
    List<Integer> pos = new ArrayList<>();
    for (long id : labels) {
      int i = catalogue.index(id);
      if (i >= 0) {
        pos.add(i);
      } else {
        unknown[0]++;
      }
    }
    if (pos.isEmpty()) {
      return null;
    }
    return new TrainExample(items, recency, counts, decayed, ranks,
        pos.stream().mapToInt(Integer::intValue).toArray(), window);
  }

  /** Adds this example's user to {@code batch}. */
  void addTo(UserBatch batch) {
    batch.addUser(window);
    for (int j = 0; j < items.length; j++) {
      batch.addFamiliar(items[j], recencyDays[j], counts[j], decayed[j], ranks[j]);
    }
  }
}
