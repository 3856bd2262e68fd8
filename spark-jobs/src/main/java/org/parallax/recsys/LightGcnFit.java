package org.parallax.recsys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * LightGCN fitted on the driver ({@link LightGcnTrainer}, DJL) to the distinct (user, item) pairs
 * of an interaction history: the users and items of the history are the graph's nodes (a user or
 * item without history has no embedding), sorted by id whatever order Spark returns them in, so
 * that the same history and seed give the same model. The driver holds the pairs and the
 * embeddings.
 *
 * @param userIds dense user ids of the graph's users, ascending (embedding rows 0..U-1)
 * @param itemIds dense item ids, ascending (embedding rows U..U+I-1)
 * @param embeddings final embeddings, {@code (U + I) x dim}, row-major
 * @param losses mean BPR loss per epoch
 * @param triples BPR triples per epoch (pairs whose user has an item left to draw)
 */
record LightGcnFit(long[] userIds, long[] itemIds, int dim, float[] embeddings,
    List<Double> losses, long pairs, long triples, String device) {

  /** Fits LightGCN to {@code history} ({@code user_id, item_id}, dense ids). */
  static LightGcnFit of(Dataset<Row> history, LightGcnOptions o, long seed) {
    // One Spark job; the order rows arrive in does not matter (ids and pairs are sorted here).
    List<Row> rows = history.select("user_id", "item_id").distinct().collectAsList();
    int n = rows.size();
    long[] users = new long[n];
    long[] items = new long[n];
    for (int p = 0; p < n; p++) {
      users[p] = rows.get(p).getLong(0);
      items[p] = rows.get(p).getLong(1);
    }
    long[] userIds = distinctSorted(users, n);
    long[] itemIds = distinctSorted(items, n);
    int[] pairUser = new int[n];
    int[] pairItem = new int[n];
    for (int p = 0; p < n; p++) {
      pairUser[p] = Arrays.binarySearch(userIds, users[p]);
      pairItem[p] = Arrays.binarySearch(itemIds, items[p]);
    }
    LightGcnGraph graph = new LightGcnGraph(userIds.length, itemIds.length, pairUser, pairItem);
    List<Double> losses = new ArrayList<>();
    try (LightGcnTrainer trainer = new LightGcnTrainer(graph, o.config(), seed)) {
      for (int epoch = 1; epoch <= o.epochs(); epoch++) {
        losses.add(trainer.epoch());
      }
      return new LightGcnFit(userIds, itemIds, o.dim(), trainer.embeddings(), losses, n,
          trainer.triples(), trainer.device().toString());
    }
  }

  /** The embedding of the user with dense id {@code userId}, or null when it has no history. */
  float[] user(long userId) {
    int u = Arrays.binarySearch(userIds, userId);
    return u < 0 ? null : Arrays.copyOfRange(embeddings, u * dim, (u + 1) * dim);
  }

  /** The items' embeddings, {@code I x dim}, in {@link #itemIds} order. */
  float[] itemTable() {
    return Arrays.copyOfRange(embeddings, userIds.length * dim, embeddings.length);
  }

  /** What the report says about the fit. */
  Map<String, Object> summary(LightGcnOptions o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("users", userIds.length);
    m.put("items", itemIds.length);
    m.put("pairs", pairs);
    m.put("triples_per_epoch", triples);
    m.put("layers", o.layers());
    m.put("dim", o.dim());
    m.put("epochs", o.epochs());
    m.put("learning_rate", o.learningRate());
    m.put("l2", o.l2());
    m.put("batch_size", o.batchSize());
    m.put("device", device);
    m.put("epoch_loss", losses);
    return m;
  }

  private static long[] distinctSorted(long[] values, int n) {
    return Arrays.stream(values, 0, n).sorted().distinct().toArray();
  }
}
