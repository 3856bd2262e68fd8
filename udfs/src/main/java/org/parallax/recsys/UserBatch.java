package org.parallax.recsys;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * A batch of users as the model reads them: each user's local subgraph (familiar items as
 * catalogue indices, most recent first) padded to the fanout, with its {@link PairFeatures} and a
 * mask. A user with no history has an all-zero mask and is encoded from the root's ID-awareness
 * vector alone. Each user also names its context: the row of the item-feature table (one per
 * cutoff in training, a single one when scoring) its items' {@link ItemFeatures} come from.
 */
public final class UserBatch {
  private final int fanout;
  private final int capacity;
  private final long[] items;
  private final float[] features;
  private final float[] mask;
  private final int[] sizes;
  private final long[] contexts;
  private int users;

  public UserBatch(int capacity, int fanout) {
    this.capacity = capacity;
    this.fanout = fanout;
    this.items = new long[capacity * fanout];
    this.features = new float[capacity * fanout * PairFeatures.SIZE];
    this.mask = new float[capacity * fanout];
    this.sizes = new int[capacity];
    this.contexts = new long[capacity];
  }

  /** Starts the next user, in context 0; familiar items follow with {@link #addFamiliar}. */
  public int addUser() {
    return addUser(0);
  }

  /** Starts the next user whose item features are row {@code context} of the feature table. */
  public int addUser(int context) {
    if (users == capacity) {
      throw new IllegalStateException("batch is full (" + capacity + " users)");
    }
    contexts[users] = context;
    return users++;
  }

  /** The context (item-feature row) of user {@code u}. */
  public int context(int u) {
    return (int) contexts[u];
  }

  /**
   * Adds a familiar item to the current user; items beyond the fanout are ignored.
   *
   * @return whether the item was kept
   */
  public boolean addFamiliar(int itemIndex, double recencyDays, long count, double decayed,
      int recencyRank) {
    int u = users - 1;
    if (sizes[u] == fanout) {
      return false;
    }
    int slot = u * fanout + sizes[u]++;
    items[slot] = itemIndex;
    mask[slot] = 1f;
    PairFeatures.encode(recencyDays, count, decayed, recencyRank, fanout, features,
        slot * PairFeatures.SIZE);
    return true;
  }

  public int size() {
    return users;
  }

  public int fanout() {
    return fanout;
  }

  public boolean isFull() {
    return users == capacity;
  }

  /** Familiar items of user {@code u}. */
  public int familiarCount(int u) {
    return sizes[u];
  }

  /** Catalogue index of the {@code f}-th familiar item of user {@code u}. */
  public int familiar(int u, int f) {
    return (int) items[u * fanout + f];
  }

  /** Empties the batch: as new, padding included, for the next users. */
  public void clear() {
    Arrays.fill(items, 0, users * fanout, 0L);
    Arrays.fill(features, 0, users * fanout * PairFeatures.SIZE, 0f);
    Arrays.fill(mask, 0, users * fanout, 0f);
    Arrays.fill(sizes, 0, users, 0);
    users = 0;
  }

  /**
   * Copies the batch into the first {@code users x fanout} (items, mask), {@code users x fanout
   * x PairFeatures.SIZE} (features) and {@code users} (contexts) values of the given arrays,
   * padding included (0), as {@link #itemsArray} and its siblings lay them out.
   */
  void copyTo(long[] itemsInto, float[] maskInto, float[] featuresInto, long[] contextsInto) {
    System.arraycopy(items, 0, itemsInto, 0, users * fanout);
    System.arraycopy(mask, 0, maskInto, 0, users * fanout);
    System.arraycopy(features, 0, featuresInto, 0, users * fanout * PairFeatures.SIZE);
    System.arraycopy(contexts, 0, contextsInto, 0, users);
  }

  NDArray contextsArray(NDManager m) {
    return m.create(Arrays.copyOf(contexts, users));
  }

  NDArray itemsArray(NDManager m) {
    return m.create(Arrays.copyOf(items, users * fanout), new Shape(users, fanout));
  }

  NDArray featuresArray(NDManager m) {
    return m.create(Arrays.copyOf(features, users * fanout * PairFeatures.SIZE),
        new Shape(users, fanout, PairFeatures.SIZE));
  }

  NDArray maskArray(NDManager m) {
    return m.create(Arrays.copyOf(mask, users * fanout), new Shape(users, fanout, 1));
  }
}
