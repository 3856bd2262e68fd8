package org.parallax.retrieval;

/**
 * Field names of a passage index: the passage id, its raw Search-R1 {@code contents}, and the
 * id's sort key, by which every segment of a shard is sorted ({@link ShardOrder}).
 */
public final class PassageFields {
  public static final String ID = "id";
  public static final String CONTENTS = "contents";
  public static final String ID_ORDER = "id_order";

  private PassageFields() {}
}
