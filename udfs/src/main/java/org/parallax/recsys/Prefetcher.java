package org.parallax.recsys;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An iterator over another one's elements, computed on a background thread up to {@code depth}
 * elements ahead of the consumer, so that producing the next elements (reading examples,
 * batching them, preparing their arrays: {@link ContextGnnTrainer#prepare}) overlaps with
 * consuming the current one (an optimisation step). The source is drawn on the producer thread
 * alone, in its own order, so the consumer sees exactly the source's sequence, and whatever the
 * source's elements draw from (a trainer's random candidates) is drawn in the same order as a
 * serial loop would.
 *
 * <p>A failure of the source surfaces from {@link #hasNext}/{@link #next}, after the elements
 * produced before it, as the same exception (a {@code RuntimeException} or {@code Error}; any
 * other throwable wrapped with its message and as its cause).
 *
 * <p>Ownership: elements handed out by {@link #next} belong to the consumer, which closes them
 * when they are {@link AutoCloseable}. {@link #close} stops the producer (after the element it is
 * computing), closes the (closeable) elements computed but not taken and waits for the thread to end; the source is not drawn from after
 * {@code close} returns. One consumer thread.
 */
public final class Prefetcher<T> implements Iterator<T>, AutoCloseable {
  private static final Object END = new Object();
  private static final long POLL_MILLIS = 50;
  private final BlockingQueue<Object> queue;
  private final Thread producer;
  private volatile boolean stopped;
  private Object head;
  private boolean finished;

  /**
   * Starts drawing from {@code source} on a daemon thread named {@code name}.
   *
   * @param depth elements computed ahead and not yet taken, at most (memory stays bounded)
   */
  public Prefetcher(Iterator<? extends T> source, int depth, String name) {
    if (depth < 1) {
      throw new IllegalArgumentException("prefetch depth must be at least 1, got " + depth);
    }
    this.queue = new ArrayBlockingQueue<>(depth);
    this.producer = new Thread(() -> produce(source), name);
    producer.setDaemon(true);
    producer.start();
  }

  private void produce(Iterator<? extends T> source) {
    try {
      while (!stopped && source.hasNext()) {
        T element = source.next();
        if (!hand(element)) {
          discard(element);
          return;
        }
      }
      hand(END);
    } catch (Throwable e) {
      // Everything, Spark's checked exceptions included, reaches the consumer.
      hand(new Failure(e));
    }
  }

  /** Waits for room in the queue; false when the consumer closed first. */
  private boolean hand(Object o) {
    try {
      while (!stopped) {
        if (queue.offer(o, POLL_MILLIS, TimeUnit.MILLISECONDS)) {
          return true;
        }
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public boolean hasNext() {
    if (finished) {
      return false;
    }
    if (head == null) {
      head = take();
    }
    if (head == END) {
      finished = true;
      head = null;
      return false;
    }
    if (head instanceof Failure f) {
      finished = true;
      head = null;
      throw f.rethrow();
    }
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T element = (T) head;
    head = null;
    return element;
  }

  private Object take() {
    try {
      while (true) {
        Object o = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (o != null) {
          return o;
        }
        if (!producer.isAlive() && queue.isEmpty()) {
          throw new IllegalStateException("the prefetch thread " + producer.getName()
              + " ended without handing over a result");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + producer.getName(), e);
    }
  }

  @Override
  public void close() {
    stopped = true;
    discard(head);
    head = null;
    finished = true;
    boolean interrupted = false;
    while (producer.isAlive()) {
      drain();
      try {
        producer.join(POLL_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    drain();
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void drain() {
    List<Object> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(Prefetcher::discard);
  }

  private static void discard(Object o) {
    if (o instanceof AutoCloseable c) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // An element nobody will use: its close failing changes nothing for the consumer.
    }
  }

  /** The source's failure, carried to the consumer. */
  private record Failure(Throwable error) {
    RuntimeException rethrow() {
      if (error instanceof RuntimeException r) {
        return r;
      }
      if (error instanceof Error e) {
        throw e;
      }
      return new IllegalStateException(error.getMessage(), error);
    }
  }
}
