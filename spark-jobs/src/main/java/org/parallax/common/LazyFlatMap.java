package org.parallax.common;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * A lazy flat-map over an iterator, for {@code mapPartitions} functions whose rows each expand to
 * a few output rows: only one input row's output is held in memory at a time.
 */
public final class LazyFlatMap<I, O> implements Iterator<O> {
  private final Iterator<I> in;
  private final Function<I, Iterable<O>> f;
  private Iterator<O> current = Collections.emptyIterator();

  public LazyFlatMap(Iterator<I> in, Function<I, Iterable<O>> f) {
    this.in = in;
    this.f = f;
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext() && in.hasNext()) {
      current = f.apply(in.next()).iterator();
    }
    return current.hasNext();
  }

  @Override
  public O next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }
}
