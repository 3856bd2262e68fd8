package org.parallax.recsys;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;

/**
 * The user-item bipartite graph LightGCN propagates over (He et al. 2020): users {@code 0..U-1}
 * are nodes {@code 0..U-1} and items {@code 0..I-1} nodes {@code U..U+I-1} of one square
 * adjacency, symmetrically normalised: the edge of a distinct (user, item) pair weighs {@code
 * 1 / sqrt(deg(user) deg(item))} in both directions, degrees counting distinct pairs, so
 * repeated interactions add nothing. {@link #propagate} is the model's forward pass. Immutable.
 */
public final class LightGcnGraph {
  private final int users;
  private final int items;
  private final int[] pairUser;
  private final int[] pairItem;
  private final int[] userStart;
  private final float[] weight;

  /**
   * @param pairUser the user of each pair, {@code 0..users-1}
   * @param pairItem the item of each pair, {@code 0..items-1}; pairs distinct, in any order
   */
  public LightGcnGraph(int users, int items, int[] pairUser, int[] pairItem) {
    if (pairUser.length != pairItem.length) {
      throw new IllegalArgumentException(pairUser.length + " pair users, " + pairItem.length
          + " pair items");
    }
    this.users = users;
    this.items = items;
    long[] keys = new long[pairUser.length];
    for (int p = 0; p < keys.length; p++) {
      if (pairUser[p] < 0 || pairUser[p] >= users || pairItem[p] < 0 || pairItem[p] >= items) {
        throw new IllegalArgumentException("pair (" + pairUser[p] + ", " + pairItem[p]
            + ") outside " + users + " users x " + items + " items");
      }
      keys[p] = (long) pairUser[p] * items + pairItem[p];
    }
    Arrays.sort(keys);
    this.pairUser = new int[keys.length];
    this.pairItem = new int[keys.length];
    this.userStart = new int[users + 1];
    int[] userDegree = new int[users];
    int[] itemDegree = new int[items];
    for (int p = 0; p < keys.length; p++) {
      if (p > 0 && keys[p] == keys[p - 1]) {
        throw new IllegalArgumentException("pair (" + keys[p] / items + ", " + keys[p] % items
            + ") given twice");
      }
      this.pairUser[p] = (int) (keys[p] / items);
      this.pairItem[p] = (int) (keys[p] % items);
      userDegree[this.pairUser[p]]++;
      itemDegree[this.pairItem[p]]++;
    }
    for (int u = 0; u < users; u++) {
      userStart[u + 1] = userStart[u] + userDegree[u];
    }
    this.weight = new float[keys.length];
    for (int p = 0; p < keys.length; p++) {
      weight[p] = (float) (1.0 / Math.sqrt((double) userDegree[this.pairUser[p]]
          * itemDegree[this.pairItem[p]]));
    }
  }

  public int users() {
    return users;
  }

  public int items() {
    return items;
  }

  /** Users and items: the side of the adjacency. */
  public int nodes() {
    return users + items;
  }

  /** Distinct (user, item) pairs, in (user, item) order from here on. */
  public int pairs() {
    return pairUser.length;
  }

  public int pairUser(int p) {
    return pairUser[p];
  }

  public int pairItem(int p) {
    return pairItem[p];
  }

  /** How many distinct items {@code user} has. */
  public int degree(int user) {
    return userStart[user + 1] - userStart[user];
  }

  /** Whether {@code user} has a pair with {@code item}. */
  public boolean has(int user, int item) {
    return Arrays.binarySearch(pairItem, userStart[user], userStart[user + 1], item) >= 0;
  }

  /**
   * The normalised adjacency as a sparse (COO) {@code nodes x nodes} array of {@code m}: each
   * pair's weight at (user, U + item) and at (U + item, user).
   */
  public NDArray adjacency(NDManager m) {
    int n = pairs();
    long[] rows = new long[2 * n];
    long[] cols = new long[2 * n];
    float[] values = new float[2 * n];
    for (int p = 0; p < n; p++) {
      rows[p] = pairUser[p];
      cols[p] = users + (long) pairItem[p];
      rows[n + p] = cols[p];
      cols[n + p] = rows[p];
      values[p] = weight[p];
      values[n + p] = weight[p];
    }
    // NDManager.createCoo wraps the index and value buffers without copying them and then
    // releases them, so the sparse array may read freed memory later (seen as out-of-bound
    // indices in the backward pass): the array is built here from copies the engine owns.
    try (NDArray indexBuffer = m.create(new long[][] {rows, cols});
        NDArray valueBuffer = m.create(values);
        PtNDArray index = (PtNDArray) indexBuffer.duplicate();
        PtNDArray value = (PtNDArray) valueBuffer.duplicate()) {
      return JniUtils.createSparseCoo(index, value, new Shape(nodes(), nodes()));
    }
  }

  /**
   * LightGCN's final embeddings: the mean of layers {@code 0..layers}, where layer {@code k+1} is
   * the adjacency times layer {@code k}.
   *
   * @param adjacency {@link #adjacency}
   * @param layer0 {@code nodes x dim}
   */
  public static NDArray propagate(NDArray adjacency, NDArray layer0, int layers) {
    NDArray layer = layer0;
    NDArray sum = layer0;
    for (int k = 0; k < layers; k++) {
      layer = adjacency.matMul(layer);
      sum = sum.add(layer);
    }
    return sum.div(layers + 1f);
  }
}
