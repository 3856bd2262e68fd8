package org.parallax.retrieval;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Shuffle key of the index build: passages go to their shard's task sorted by id, and passages
 * sharing an id arrive together, smallest contents first, so the task keeps that one and
 * quarantines the rest without a separate shuffle. The contents travel as the input's UTF-8
 * bytes (written to the shard as they are); "smallest" is {@link String#compareTo} order, decoded
 * only for passages that share an id. A plain class, not a record: Spark's Kryo cannot construct
 * records.
 */
final class ShardKey implements Comparable<ShardKey>, Serializable {
  private static final long serialVersionUID = 1L;
  private int shard;
  private String id;
  private byte[] contents;

  ShardKey() {}

  ShardKey(int shard, String id, byte[] contents) {
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

  /** The contents as UTF-8. */
  byte[] contents() {
    return contents;
  }

  @Override
  public int compareTo(ShardKey o) {
    int c = Integer.compare(shard, o.shard);
    if (c == 0) {
      c = id.compareTo(o.id);
    }
    return c != 0 || Arrays.equals(contents, o.contents) ? c
        : new String(contents, StandardCharsets.UTF_8)
            .compareTo(new String(o.contents, StandardCharsets.UTF_8));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardKey k && k.shard == shard && k.id.equals(id)
        && Arrays.equals(k.contents, contents);
  }

  @Override
  public int hashCode() {
    return Objects.hash(shard, id, Arrays.hashCode(contents));
  }
}
