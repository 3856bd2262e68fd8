package org.parallax.retrieval;

/**
 * Field names of a passage index: the passage id, its raw Search-R1 {@code contents}, and the
 * id's sort key, by which every segment of a shard is sorted ({@link ShardOrder}), and the
 * position of its contents in the shard's {@link PassageTexts} file.
 */
public final class PassageFields {
  public static final String ID = "id";
  public static final String CONTENTS = "contents";
  public static final String ID_ORDER = "id_order";
  /** Where a passage's contents are in the shard's {@link PassageTexts} file. */
  public static final String CONTENTS_AT = "contents_at";

  private PassageFields() {}
}
