package org.parallax.recsys;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * A training batch's inputs as arrays on the training device ({@link ContextGnnTrainer#prepare}):
 * the users' local subgraphs, their contexts, the softmax's candidate items and where each
 * label's logit lies. Owns its arrays (one manager); close it once its steps are done. Separating
 * preparation from {@link ContextGnnTrainer#step(PreparedBatch)} lets a benchmark step over
 * batches already on the device, the floor for a training epoch's data pipeline.
 */
public final class PreparedBatch implements AutoCloseable {
  private final NDManager manager;
  private final int users;
  final NDArray items;
  final NDArray mask;
  final NDArray features;
  final NDArray contexts;
  final NDArray candidates;
  final NDArray itemsAt;
  final NDArray dense;
  final NDArray familiar;
  final NDArray pairAt;
  final NDArray towerAt;
  final NDArray userOf;

  PreparedBatch(NDManager manager, int users, NDArray items, NDArray mask, NDArray features,
      NDArray contexts, NDArray candidates, NDArray itemsAt, NDArray dense, NDArray familiar,
      NDArray pairAt, NDArray towerAt, NDArray userOf) {
    this.manager = manager;
    this.users = users;
    this.items = items;
    this.mask = mask;
    this.features = features;
    this.contexts = contexts;
    this.candidates = candidates;
    this.itemsAt = itemsAt;
    this.dense = dense;
    this.familiar = familiar;
    this.pairAt = pairAt;
    this.towerAt = towerAt;
    this.userOf = userOf;
  }

  /** The users (examples) of the batch. */
  public int size() {
    return users;
  }

  @Override
  public void close() {
    manager.close();
  }
}
