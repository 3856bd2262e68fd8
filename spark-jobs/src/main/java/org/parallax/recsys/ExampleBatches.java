package org.parallax.recsys;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A stream of training examples grouped, in stream order, into batches of at most {@code size}
 * users (the last one shorter): each a {@link UserBatch} with its users' label items, the unit of
 * one optimisation step.
 */
final class ExampleBatches implements Iterator<ExampleBatches.Batch> {
  /** One step's users and, per user, the catalogue indices of its label items. */
  record Batch(UserBatch users, int[][] positives) {}

  private final Iterator<TrainExample> examples;
  private final int size;
  private final int fanout;

  ExampleBatches(Iterator<TrainExample> examples, int size, int fanout) {
    this.examples = examples;
    this.size = size;
    this.fanout = fanout;
  }

  /**
   * The batches of {@code examples} as {@code trainer}'s host batches (plain arrays, no engine
   * call), one at a time: each refills a host batch taken from {@code free} (those whose arrays
   * the consumer has copied to the device) when there is one, and one user batch is refilled for
   * all, so that a pass does not allocate its largest arrays per batch.
   */
  static Iterator<HostBatch> host(Iterator<TrainExample> examples, int size, int fanout,
      ContextGnnTrainer trainer, Supplier<HostBatch> free) {
    UserBatch users = new UserBatch(size, fanout);
    List<int[]> positives = new ArrayList<>(size);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return examples.hasNext();
      }

      @Override
      public HostBatch next() {
        if (!examples.hasNext()) {
          throw new NoSuchElementException();
        }
        users.clear();
        positives.clear();
        fill(examples, users, positives);
        return trainer.hostBatch(users, positives.toArray(new int[0][]), free.get());
      }
    };
  }

  /** Moves examples from {@code examples} into {@code users} until it is full or they end. */
  private static void fill(Iterator<TrainExample> examples, UserBatch users,
      List<int[]> positives) {
    while (examples.hasNext() && !users.isFull()) {
      TrainExample e = examples.next();
      e.addTo(users);
      positives.add(e.positives);
    }
  }

  @Override
  public boolean hasNext() {
    return examples.hasNext();
  }

  @Override
  public Batch next() {
    if (!examples.hasNext()) {
      throw new NoSuchElementException();
    }
    UserBatch users = new UserBatch(size, fanout);
    List<int[]> positives = new ArrayList<>(size);
    fill(examples, users, positives);
    return new Batch(users, positives.toArray(new int[0][]));
  }
}
