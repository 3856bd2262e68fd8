package org.parallax.retrieval;

import java.io.Serializable;
import java.util.Comparator;

/**
 * One retrieved passage.
 *
 * @param docId the passage id
 * @param score its BM25 score under global statistics
 * @param contents the stored raw contents ({@code "Title"\ntext})
 */
public record Hit(String docId, float score, String contents) implements Serializable {
  /**
   * The order of a result list: higher score first, then smaller id. Shards are built in id order,
   * so this is also the order a single index over the whole corpus returns ties in.
   */
  public static final Comparator<Hit> ORDER = Comparator.comparing(Hit::score,
      Comparator.reverseOrder()).thenComparing(Hit::docId);
}
