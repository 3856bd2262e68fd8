package org.parallax.recsys;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * Ranks users' LightGCN embeddings against an item table by inner product, exactly, by
 * {@link BlockedTopK} (a block of items at a time; never users x items at once), on the GPU when
 * DJL sees one. Within a user's list, equal scores are ordered by the smaller item index. Holds
 * the item table on the device until closed; not thread-safe.
 */
public final class LightGcnRanking implements AutoCloseable {
  private final NDManager manager;
  private final NDArray table;
  private final int items;
  private final int dim;

  /** A user's top items (table rows) and their scores, best first. */
  public record Ranked(int[] items, float[] scores) {}

  /** @param itemTable {@code items x dim}, row-major */
  public LightGcnRanking(float[] itemTable, int items, int dim) {
    if (itemTable.length != (long) items * dim) {
      throw new IllegalArgumentException("item table has " + itemTable.length + " floats, "
          + "expected " + items + " x " + dim);
    }
    this.items = items;
    this.dim = dim;
    this.manager = NDManager.newBaseManager(ContextGnnModel.device(), "PyTorch");
    this.table = manager.create(itemTable, new Shape(items, dim));
  }

  /**
   * The top {@code min(k, items)} of each of {@code users} queries ({@code users x dim},
   * row-major).
   */
  public Ranked[] rank(float[] queries, int users, int k, int blockSize) {
    int want = Math.min(k, items);
    Ranked[] out = new Ranked[users];
    if (want == 0 || users == 0) {
      Arrays.setAll(out, u -> new Ranked(new int[0], new float[0]));
      return out;
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray q = m.create(queries, new Shape(users, dim));
      NDList top = BlockedTopK.of(m, q, table, want, blockSize);
      float[] values = top.get(0).toFloatArray();
      long[] at = top.get(1).toLongArray();
      for (int u = 0; u < users; u++) {
        out[u] = ordered(values, at, u * want, want);
      }
    }
    return out;
  }

  /** Entries {@code [from, from + n)} sorted by score, descending, then item index. */
  private static Ranked ordered(float[] values, long[] at, int from, int n) {
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> from + i);
    Arrays.sort(order, (a, b) -> values[a] == values[b] ? Long.compare(at[a], at[b])
        : Float.compare(values[b], values[a]));
    int[] items = new int[n];
    float[] scores = new float[n];
    for (int i = 0; i < n; i++) {
      items[i] = (int) at[order[i]];
      scores[i] = values[order[i]];
    }
    return new Ranked(items, scores);
  }

  @Override
  public void close() {
    manager.close();
  }
}
