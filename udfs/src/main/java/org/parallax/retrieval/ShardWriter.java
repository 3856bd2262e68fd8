package org.parallax.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * Builds one index shard in a local directory from passages given in id order (so that document
 * order, and with it the tie order of equal scores, is the id order in every shard and in a
 * single index alike). The passage id is indexed as a keyword, stored, and kept as sorted doc
 * values (so that equal scores across shards are put in id order without decompressing stored
 * passages); the raw contents are
 * analysed with frequencies (no positions: BM25 needs none) and stored, so results carry their
 * text. The shard is merged to one segment.
 */
public final class ShardWriter {
  private static final FieldType CONTENTS = new FieldType();

  static {
    CONTENTS.setTokenized(true);
    CONTENTS.setStored(true);
    CONTENTS.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    CONTENTS.freeze();
  }

  private ShardWriter() {}

  /**
   * Writes {@code passages} ({id, contents} pairs) to {@code dir}; returns the number written.
   */
  public static long write(Path dir, Iterator<String[]> passages, AnalyzerConfig analyzer,
      Bm25Config bm25, double ramBufferMb) {
    return write(dir, passages, analyzer, bm25, ramBufferMb, true);
  }

  /** As {@link #write}; without {@code idValues}, as shards were written before 2026-12. */
  static long write(Path dir, Iterator<String[]> passages, AnalyzerConfig analyzer,
      Bm25Config bm25, double ramBufferMb, boolean idValues) {
    IndexWriterConfig config = new IndexWriterConfig(analyzer.create())
        .setSimilarity(bm25.similarity())
        .setRAMBufferSizeMB(ramBufferMb)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setUseCompoundFile(false);
    long n = 0;
    try (IndexWriter writer = new IndexWriter(FSDirectory.open(dir), config)) {
      Document doc = new Document();
      StringField id = new StringField(PassageFields.ID, "", Field.Store.YES);
      Field contents = new Field(PassageFields.CONTENTS, "", CONTENTS);
      SortedDocValuesField idValue = new SortedDocValuesField(PassageFields.ID, new BytesRef());
      doc.add(id);
      if (idValues) {
        doc.add(idValue);
      }
      doc.add(contents);
      while (passages.hasNext()) {
        String[] p = passages.next();
        id.setStringValue(p[0]);
        idValue.setBytesValue(new BytesRef(p[0]));
        contents.setStringValue(p[1]);
        writer.addDocument(doc);
        n++;
      }
      writer.forceMerge(1);
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write index shard " + dir, e);
    }
    return n;
  }
}
