package org.parallax.recsys;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * The exact top entries of {@code query x table^T} by inner product, one block of table rows at a
 * time, so that a batch of users is never multiplied with the whole catalogue at once: each
 * block's top {@code want} are kept, and the top {@code want} of those is the top of the whole
 * product (an entry in the overall top is in its block's top). Every array it makes belongs to
 * the caller's manager.
 */
public final class BlockedTopK {
  private BlockedTopK() {}

  /**
   * Returns {@code [values (users x want), indices (users x want, int64 table rows)]}, best
   * first.
   *
   * @param query {@code users x dim}
   * @param table {@code items x dim}
   * @param want at most the number of items
   */
  public static NDList of(NDManager m, NDArray query, NDArray table, int want, int blockSize) {
    long n = table.getShape().get(0);
    NDList values = new NDList();
    NDList indices = new NDList();
    for (long start = 0; start < n; start += blockSize) {
      long end = Math.min(n, start + blockSize);
      NDArray block = query.matMul(rows(m, table, start, end).transpose());
      NDList top = block.topK((int) Math.min(want, end - start), 1, true, true);
      values.add(top.get(0));
      indices.add(top.get(1).toType(DataType.INT64, false).add(start));
    }
    NDArray allValues = NDArrays.concat(values, 1);
    NDArray allIndices = NDArrays.concat(indices, 1);
    NDList best = allValues.topK(want, 1, true, true);
    return new NDList(best.get(0),
        allIndices.gather(best.get(1).toType(DataType.INT64, false), 1));
  }

  /**
   * Rows {@code [start, end)} of {@code table}, owned by {@code m}: a slice of an array belongs to
   * that array's manager (often a long-lived one, a loaded model's) unless moved, and would
   * otherwise leak one native array per block per batch.
   */
  static NDArray rows(NDManager m, NDArray table, long start, long end) {
    NDArray rows = table.get(new NDIndex(start + ":" + end));
    rows.attach(m);
    return rows;
  }
}
