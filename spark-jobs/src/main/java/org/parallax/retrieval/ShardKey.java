package org.parallax.retrieval;

import java.io.Serializable;

/** Shuffle key of the index build: passages go to their shard's task, sorted by id. */
record ShardKey(int shard, String id) implements Comparable<ShardKey>, Serializable {
  @Override
  public int compareTo(ShardKey o) {
    int c = Integer.compare(shard, o.shard);
    return c != 0 ? c : id.compareTo(o.id);
  }
}
