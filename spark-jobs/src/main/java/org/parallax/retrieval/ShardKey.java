package org.parallax.retrieval;

import java.io.Serializable;
import java.util.Objects;

/**
 * Shuffle key of the index build: passages go to their shard's task, sorted by id. A plain class,
 * not a record: Spark's Kryo cannot construct records.
 */
final class ShardKey implements Comparable<ShardKey>, Serializable {
  private static final long serialVersionUID = 1L;
  private int shard;
  private String id;

  ShardKey() {}

  ShardKey(int shard, String id) {
    this.shard = shard;
    this.id = id;
  }

  int shard() {
    return shard;
  }

  String id() {
    return id;
  }

  @Override
  public int compareTo(ShardKey o) {
    int c = Integer.compare(shard, o.shard);
    return c != 0 ? c : id.compareTo(o.id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardKey k && k.shard == shard && k.id.equals(id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shard, id);
  }
}
