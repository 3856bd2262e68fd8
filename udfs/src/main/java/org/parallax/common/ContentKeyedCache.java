package org.parallax.common;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Resources of one JVM (open shards, loaded models) keyed by where they live and by their content
 * identity: each (place, identity) is opened once and shared; when a place's content changes (a
 * shard or model rebuilt at the same path, so a new identity), the resource of the old content
 * is released and the new one opened. Thread-safe; opening and releasing are serialised, look-ups
 * are not.
 *
 * @param <V> the resource
 */
public final class ContentKeyedCache<V> {
  private final Map<String, V> open = new ConcurrentHashMap<>();
  private final Consumer<V> release;

  /** A cache that calls {@code release} on a resource whose content was replaced. */
  public ContentKeyedCache(Consumer<V> release) {
    this.release = release;
  }

  /** The resource of {@code place} with content {@code identity}, opened on first use. */
  public V get(String place, String identity, Supplier<V> opener) {
    String prefix = place + "|";
    V v = open.get(prefix + identity);
    if (v != null) {
      return v;
    }
    synchronized (this) {
      v = open.get(prefix + identity);
      if (v == null) {
        for (String k : open.keySet()) {
          if (k.startsWith(prefix)) {
            release.accept(open.remove(k));
          }
        }
        v = opener.get();
        open.put(prefix + identity, v);
      }
      return v;
    }
  }

  /** Resources open now. */
  public Collection<V> values() {
    return open.values();
  }

  /** Forgets every resource (the caller releases them). */
  public void clear() {
    open.clear();
  }
}
