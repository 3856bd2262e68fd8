package org.parallax.retrieval;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;

/**
 * The document order of a BM25 shard: Lucene index sorting on the passage id, so that within
 * every segment, flushed or merged, document order is {@link String#compareTo} order of the ids,
 * the order in which {@link Hit#ORDER} breaks ties. The key is the id in UTF-16BE, whose unsigned
 * byte order is {@code String.compareTo}'s order (UTF-8 bytes would order some ids by code point
 * instead). Shards written before index sorting are refused when opened.
 */
public final class ShardOrder {
  /** The encoding of the id that is the key: its bytes compare as the ids do. */
  public static final java.nio.charset.Charset KEY_CHARSET = StandardCharsets.UTF_16BE;
  /** The index sort of every shard. */
  public static final Sort SORT = new Sort(new SortField(PassageFields.ID_ORDER,
      SortField.Type.STRING));

  private ShardOrder() {}

  /** The sort-key field of passage {@code id}. */
  static SortedDocValuesField key(String id) {
    return new SortedDocValuesField(PassageFields.ID_ORDER, keyBytes(id));
  }

  static BytesRef keyBytes(String id) {
    return new BytesRef(id.getBytes(KEY_CHARSET));
  }

  /**
   * Fails with a one-line message unless every segment of the shard at {@code dir} is sorted by
   * {@link #SORT}.
   */
  static void check(IndexReader reader, Path dir) {
    for (LeafReaderContext leaf : reader.leaves()) {
      Sort sort = leaf.reader().getMetaData().getSort();
      if (!SORT.equals(sort)) {
        throw new IllegalStateException("index shard " + dir + " is not sorted by passage id "
            + "(index sort " + sort + "; shards are sorted since 2026-12-06, so that tie order "
            + "does not depend on segments or merges): rebuild the index with `retrieval index`");
      }
    }
  }
}
