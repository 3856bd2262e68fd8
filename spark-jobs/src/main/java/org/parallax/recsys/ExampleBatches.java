package org.parallax.recsys;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

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

  /** The batches of {@code examples} as arrays on {@code trainer}'s device, one at a time. */
  static Iterator<PreparedBatch> prepared(Iterator<TrainExample> examples, int size, int fanout,
      ContextGnnTrainer trainer) {
    ExampleBatches batches = new ExampleBatches(examples, size, fanout);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return batches.hasNext();
      }

      @Override
      public PreparedBatch next() {
        Batch b = batches.next();
        return trainer.prepare(b.users(), b.positives());
      }
    };
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
    while (examples.hasNext() && !users.isFull()) {
      TrainExample e = examples.next();
      e.addTo(users);
      positives.add(e.positives);
    }
    return new Batch(users, positives.toArray(new int[0][]));
  }
}
