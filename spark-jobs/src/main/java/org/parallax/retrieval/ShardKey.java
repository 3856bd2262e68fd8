package org.parallax.retrieval;

import java.io.Serializable;
import java.util.Objects;

/**
 * Shuffle key of the index build: passages go to their shard's task sorted by id, and passages
 * sharing an id arrive together, smallest contents first, so the task keeps that one and
 * quarantines the rest without a separate shuffle. A plain class, not a record: Spark's Kryo
 * cannot construct records.
 */
final class ShardKey implements Comparable<ShardKey>, Serializable {
  private static final long serialVersionUID = 1L;
  private int shard;
  private String id;
  private String contents;

  ShardKey() {}

  ShardKey(int shard, String id, String contents) {
    this.shard = shard;
    this.id = id;
    this.contents = contents;
  }

  int shard() {
    return shard;
  }

  String id() {
    return id;
  }

  String contents() {
    return contents;
  }

  @Override
  public int compareTo(ShardKey o) {
    int c = Integer.compare(shard, o.shard);
    if (c == 0) {
      c = id.compareTo(o.id);
    }
    return c != 0 ? c : contents.compareTo(o.contents);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardKey k && k.shard == shard && k.id.equals(id)
        && k.contents.equals(contents);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shard, id, contents);
  }
}
