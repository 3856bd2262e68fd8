package org.parallax.recsys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.ParameterList;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Training with the batches prepared on a background thread gives exactly what the serial loop
 * gives; a failure of the source reaches the consumer with its message; closing early closes what
 * was prepared and not taken and stops drawing from the source.
 */
class PrefetcherTest {
  private static final int ITEMS = 60;
  private static final int FANOUT = 4;

  @Test
  void trainingOverPrefetchedBatchesEqualsTheSerialLoopExactly() {
    List<UserBatch> batches = new ArrayList<>();
    List<int[][]> positives = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(7);
    for (int b = 0; b < 12; b++) {
      UserBatch batch = new UserBatch(16, FANOUT);
      int[][] labels = new int[16][];
      for (int u = 0; u < 16; u++) {
        batch.addUser(u % 2);
        for (int f = 0; f < r.nextInt(FANOUT + 1); f++) {
          batch.addFamiliar(r.nextInt(ITEMS), f + 0.5, 1 + r.nextInt(3), 0.5, f + 1);
        }
        labels[u] = new int[] {r.nextInt(ITEMS), r.nextInt(ITEMS)};
      }
      batches.add(batch);
      positives.add(labels);
    }
    // A sampled softmax (40 candidates of 60 items): preparing a batch draws from the trainer's
    // random sequence, so the order of preparation matters.
    try (ContextGnnTrainer serial = trainer(); ContextGnnTrainer prefetched = trainer()) {
      double[] expected = new double[batches.size() + 1];
      for (int b = 0; b < batches.size(); b++) {
        expected[b] = serial.step(batches.get(b), positives.get(b));
      }
      expected[batches.size()] = serial.evaluate(batches.get(0), positives.get(0));

      double[] actual = new double[batches.size() + 1];
      Iterator<Integer> order = java.util.stream.IntStream.range(0, batches.size()).iterator();
      Iterator<PreparedBatch> source = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return order.hasNext();
        }

        @Override
        public PreparedBatch next() {
          int b = order.next();
          return prefetched.prepare(batches.get(b), positives.get(b));
        }
      };
      int b = 0;
      try (Prefetcher<PreparedBatch> ready = new Prefetcher<>(source, 3, "test-prefetch")) {
        while (ready.hasNext()) {
          try (PreparedBatch p = ready.next()) {
            assertEquals(16, p.size());
            actual[b++] = prefetched.step(p);
          }
        }
      }
      actual[b] = prefetched.evaluate(batches.get(0), positives.get(0));
      assertEquals(batches.size(), b);
      assertArrayEquals(expected, actual);
      ParameterList want = serial.block().getParameters();
      ParameterList got = prefetched.block().getParameters();
      assertEquals(want.size(), got.size());
      for (int i = 0; i < want.size(); i++) {
        assertArrayEquals(want.get(i).getValue().getArray().toFloatArray(),
            got.get(i).getValue().getArray().toFloatArray(), want.get(i).getKey());
      }
    }
  }

  private static ContextGnnTrainer trainer() {
    ContextGnnConfig config = new ContextGnnConfig(ITEMS, 8, FANOUT, 0, 2, 30, 7);
    ContextGnnTrainer t = new ContextGnnTrainer(config, new long[0], 0.05f, 1e-4f, 20, 40, 3);
    float[] table = new float[2 * ITEMS * ItemFeatures.SIZE];
    for (int i = 0; i < 2 * ITEMS; i++) {
      ItemFeatures.encode(i % 7, 1 + i % 5, i % 11, table, i * ItemFeatures.SIZE);
    }
    t.setItemFeatures(table, 2);
    return t;
  }

  @Test
  void aFailureOfTheSourceReachesTheConsumerWithItsMessage() {
    IllegalStateException planted = new IllegalStateException(
        "cannot read part-00003.parquet of the training examples");
    List<Element> made = new ArrayList<>();
    try (Prefetcher<Element> p = new Prefetcher<>(failingAfter(3, planted, made), 2, "t")) {
      for (int i = 0; i < 3; i++) {
        assertTrue(p.hasNext());
        assertEquals(i, p.next().index);
      }
      assertSame(planted, assertThrows(IllegalStateException.class, p::hasNext));
      assertFalse(p.hasNext());
      assertThrows(NoSuchElementException.class, p::next);
    }
    // Spark's checked exceptions escape Scala iterators undeclared: wrapped, message kept.
    IOException checked = new IOException("connection reset while fetching partition 7");
    try (Prefetcher<Element> p = new Prefetcher<>(failingAfter(0, checked, made), 2, "t")) {
      IllegalStateException e = assertThrows(IllegalStateException.class, p::hasNext);
      assertEquals(checked.getMessage(), e.getMessage());
      assertSame(checked, e.getCause());
    }
  }

  @Test
  void closingEarlyClosesWhatWasNotTakenAndStopsDrawing() throws Exception {
    AtomicInteger drawn = new AtomicInteger();
    List<Element> made = java.util.Collections.synchronizedList(new ArrayList<>());
    Iterator<Element> endless = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Element next() {
        Element e = new Element(drawn.getAndIncrement());
        made.add(e);
        return e;
      }
    };
    List<Element> taken = new ArrayList<>();
    Prefetcher<Element> p = new Prefetcher<>(endless, 2, "test-prefetch-close");
    taken.add(p.next());
    taken.add(p.next());
    Thread.sleep(200);
    // Bounded: two taken, two queued, one waiting for room.
    assertTrue(drawn.get() <= 5, "drawn " + drawn.get());
    p.close();
    int after = drawn.get();
    Thread.sleep(200);
    assertEquals(after, drawn.get());
    for (Element e : made) {
      assertEquals(!taken.contains(e), e.closed, "element " + e.index);
    }
    assertFalse(Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("test-prefetch-close")));
  }

  /** Elements 0..n-1, then {@code failure} thrown (undeclared when checked). */
  private static Iterator<Element> failingAfter(int n, Throwable failure, List<Element> made) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Element next() {
        if (next == n) {
          throw PrefetcherTest.<RuntimeException>sneaky(failure);
        }
        Element e = new Element(next++);
        made.add(e);
        return e;
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable t) throws E {
    throw (E) t;
  }

  private static final class Element implements AutoCloseable {
    final int index;
    volatile boolean closed;

    Element(int index) {
      this.index = index;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
