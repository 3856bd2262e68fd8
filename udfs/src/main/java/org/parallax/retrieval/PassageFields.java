package org.parallax.retrieval;

/** Field names of a passage index: the passage id and its raw Search-R1 {@code contents}. */
public final class PassageFields {
  public static final String ID = "id";
  public static final String CONTENTS = "contents";

  private PassageFields() {}
}
