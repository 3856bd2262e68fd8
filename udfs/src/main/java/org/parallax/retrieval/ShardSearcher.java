package org.parallax.retrieval;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.IndexInput;

/**
 * One open index shard: its statistics, its reader and its passages. A shard not sorted by
 * passage id ({@link ShardOrder}) is refused.
 * Thread-safe; owns its reader, which {@link #close()} releases. Opened once per JVM through
 * {@link ShardCache}.
 */
public final class ShardSearcher implements Closeable {
  private final DirectoryReader reader;
  private final Bm25Config bm25;
  /**
   * How the shard keeps passage ids as doc values: binary (shards written since 2026-12-02
   * evening), sorted (2026-12-02 before that) or not at all (stored only, before).
   */
  private final DocValuesType idDocValues;
  /**
   * Whether the shard keeps the contents outside its stored fields: as binary doc values (shards
   * written since 2026-12) or in its texts file (since 2026-12-07); before, they were stored.
   */
  private final boolean contentsDocValues;
  /** The contents file of a shard written since 2026-12-07 ({@link PassageTexts}), or null. */
  private final PassageTexts.Reader texts;

  public ShardSearcher(Path dir, Bm25Config bm25) {
    try {
      this.reader = DirectoryReader.open(FSDirectory.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open index shard " + dir, e);
    }
    try {
      ShardOrder.check(reader, dir);
    } catch (IllegalStateException e) {
      try {
        reader.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    this.bm25 = bm25;
    FieldInfos fields = FieldInfos.getMergedFieldInfos(reader);
    FieldInfo id = fields.fieldInfo(PassageFields.ID);
    this.idDocValues = id == null ? DocValuesType.NONE : id.getDocValuesType();
    FieldInfo contents = fields.fieldInfo(PassageFields.CONTENTS);
    FieldInfo at = fields.fieldInfo(PassageFields.CONTENTS_AT);
    this.contentsDocValues = idDocValues != DocValuesType.NONE && (at != null
        || contents != null && contents.getDocValuesType() == DocValuesType.BINARY);
    try {
      this.texts = at == null ? null : new PassageTexts.Reader(reader.directory());
    } catch (IOException e) {
      try {
        reader.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot open the passage texts of index shard " + dir, e);
    }
  }

  public int numDocs() {
    return reader.numDocs();
  }

  /** Adds this shard's collection statistics to {@code stats}. */
  public void addCollectionStats(GlobalStats stats) {
    try {
      stats.addCollection(reader.maxDoc(), reader.getDocCount(PassageFields.CONTENTS),
          reader.getSumTotalTermFreq(PassageFields.CONTENTS),
          reader.getSumDocFreq(PassageFields.CONTENTS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Adds this shard's frequencies of {@code terms} to {@code stats}. */
  public void addTermStats(Collection<String> terms, GlobalStats stats) {
    try {
      for (String t : terms) {
        Term term = new Term(PassageFields.CONTENTS, t);
        stats.addTerm(t, reader.docFreq(term), reader.totalTermFreq(term));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shard's reader (searched by {@link ShardedIndex} together with the other shards). */
  IndexReader reader() {
    return reader;
  }

  /** The BM25 parameters the shard was opened with. */
  Bm25Config bm25() {
    return bm25;
  }

  /**
   * Whether passages are read from stored fields (a shard written before 2026-12); when not,
   * {@link #passages} and {@link #ids} take no stored-fields reader (null).
   */
  public boolean storedPassages() {
    return !contentsDocValues;
  }

  /**
   * A reader of this shard's stored fields, for one thread: taking one per batch of lookups
   * instead of one per document saves a clone of the stored-fields reader (and its block
   * buffers) per hit.
   */
  public StoredFields storedFields() {
    try {
      return reader.storedFields();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The passages (id and contents) of documents {@code docs[from..to)}, given in ascending
   * order, into {@code ids} and {@code contents} at the same positions: from the doc values, or
   * through {@code fields} for a shard written before them (one stored document each).
   */
  public void passages(int[] docs, int from, int to, String[] ids, String[] contents,
      StoredFields fields) {
    try {
      if (!contentsDocValues) {
        for (int i = from; i < to; i++) {
          Document d = fields.document(docs[i]);
          ids[i] = d.get(PassageFields.ID);
          contents[i] = d.get(PassageFields.CONTENTS);
        }
        return;
      }
      ids(docs, from, to, ids, fields);
      if (texts != null) {
        textsFromFile(docs, from, to, contents);
        return;
      }
      List<LeafReaderContext> leaves = reader.leaves();
      int leaf = -1;
      BinaryDocValues values = null;
      for (int i = from; i < to; i++) {
        int l = ReaderUtil.subIndex(docs[i], leaves);
        if (l != leaf) {
          leaf = l;
          values = leaves.get(l).reader().getBinaryDocValues(PassageFields.CONTENTS);
        }
        if (values == null || !values.advanceExact(docs[i] - leaves.get(l).docBase)) {
          throw new IllegalStateException("passage " + docs[i] + " has no contents value");
        }
        contents[i] = values.binaryValue().utf8ToString();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The contents of documents {@code docs[from..to)} (ascending) from the texts file. */
  private void textsFromFile(int[] docs, int from, int to, String[] contents)
      throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    IndexInput cursor = texts.cursor();
    int leaf = -1;
    NumericDocValues at = null;
    for (int i = from; i < to; i++) {
      int l = ReaderUtil.subIndex(docs[i], leaves);
      if (l != leaf) {
        leaf = l;
        at = leaves.get(l).reader().getNumericDocValues(PassageFields.CONTENTS_AT);
      }
      if (at == null || !at.advanceExact(docs[i] - leaves.get(l).docBase)) {
        throw new IllegalStateException("passage " + docs[i] + " has no contents position");
      }
      contents[i] = PassageTexts.Reader.text(cursor, at.longValue());
    }
  }

  /**
   * The passage ids of documents {@code docs[from..to)}, given in ascending order, into
   * {@code out[from..to)}: from the id doc values, or through {@code fields} (the stored id
   * only) for a shard written without them.
   */
  public void ids(int[] docs, int from, int to, String[] out, StoredFields fields) {
    try {
      if (idDocValues == DocValuesType.NONE) {
        for (int i = from; i < to; i++) {
          out[i] = fields.document(docs[i], java.util.Set.of(PassageFields.ID))
              .get(PassageFields.ID);
        }
        return;
      }
      List<LeafReaderContext> leaves = reader.leaves();
      int leaf = -1;
      SortedDocValues sorted = null;
      BinaryDocValues binary = null;
      for (int i = from; i < to; i++) {
        int l = ReaderUtil.subIndex(docs[i], leaves);
        if (l != leaf) {
          leaf = l;
          LeafReader r = leaves.get(l).reader();
          sorted = idDocValues == DocValuesType.SORTED
              ? r.getSortedDocValues(PassageFields.ID) : null;
          binary = idDocValues == DocValuesType.BINARY
              ? r.getBinaryDocValues(PassageFields.ID) : null;
        }
        int local = docs[i] - leaves.get(l).docBase;
        if (sorted != null && sorted.advanceExact(local)) {
          out[i] = sorted.lookupOrd(sorted.ordValue()).utf8ToString();
        } else if (binary != null && binary.advanceExact(local)) {
          out[i] = binary.binaryValue().utf8ToString();
        } else {
          throw new IllegalStateException("passage " + docs[i] + " has no id value");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The contents of passage {@code id}, or null when this shard does not hold it. */
  public String contents(String id) {
    try {
      IndexSearcher searcher = new IndexSearcher(reader);
      TopDocs top = searcher.search(new TermQuery(new Term(PassageFields.ID, id)), 1);
      if (top.scoreDocs.length == 0) {
        return null;
      }
      String[] ids = new String[1];
      String[] contents = new String[1];
      passages(new int[] {top.scoreDocs[0].doc}, 0, 1, ids, contents,
          storedPassages() ? storedFields() : null);
      return contents[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    try (reader) {
      if (texts != null) {
        texts.close();
      }
    }
  }
}
