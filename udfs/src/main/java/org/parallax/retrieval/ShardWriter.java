package org.parallax.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.lucene.document.BinaryDocValuesField;
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
 * Builds one index shard in a local directory from passages in any order: the index is sorted
 * by passage id ({@link ShardOrder}), so that document order in every segment, and with it the
 * tie order of equal scores, is the id order whatever the RAM buffer, flushes and merges. The
 * passage id is indexed as a keyword and kept as binary doc values (equal scores across
 * segments are put in id order without reading stored fields or decompressing a sorted field's
 * terms); the raw contents are analysed with frequencies (no positions: BM25 needs none) and
 * written to the shard's {@link PassageTexts} file (and analysed from the same bytes:
 * {@link ContentsTokens}), so that a hit's text is one positioned read
 * (as stored fields, each hit decompressed a block of neighbouring passages: 60% of a batch
 * search's time) and the text takes no room in the RAM buffer (as binary doc values it made a
 * shard of 500,000 passages flush several segments, merged again at the end).
 * {@link ShardSearcher} also reads the earlier layouts ({@link Layout}) when they carry the sort,
 * i.e. as tests write them: shards written before the sort are refused. The shard is merged to
 * one segment.
 */
public final class ShardWriter {
  private static final FieldType CONTENTS = new FieldType();
  /** The contents as shards kept them before 2026-12: analysed and stored. */
  private static final FieldType STORED = new FieldType();

  static {
    CONTENTS.setTokenized(true);
    CONTENTS.setStored(false);
    CONTENTS.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    CONTENTS.freeze();
    STORED.setTokenized(true);
    STORED.setStored(true);
    STORED.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    STORED.freeze();
  }

  private ShardWriter() {}

  /**
   * Writes {@code passages} ({id, contents} pairs) to {@code dir}; returns the number written.
   */
  public static long write(Path dir, Iterator<String[]> passages, AnalyzerConfig analyzer,
      Bm25Config bm25, double ramBufferMb) {
    return write(dir, passages, analyzer, bm25, ramBufferMb, Layout.TEXT_FILE, 1);
  }

  /** A passage with its contents as UTF-8, as the index job carries it from its input. */
  public record Utf8Passage(String id, byte[] contents) {}

  /**
   * As {@link #write}, from passages whose contents are UTF-8 bytes: they go to the texts file as
   * they are, and are decoded once, for analysis.
   */
  public static long writeUtf8(Path dir, Iterator<Utf8Passage> passages,
      AnalyzerConfig analyzer, Bm25Config bm25, double ramBufferMb) {
    return writeLayout(dir, passages, analyzer, bm25, ramBufferMb, Layout.TEXT_FILE, 1);
  }

  /** How a shard keeps ids and contents: as written now, and as shards were written before. */
  enum Layout {
    /** Before 2026-12-02: id and contents stored, no doc values. */
    STORED,
    /** 2026-12-02, earlier in the day: contents stored, ids also as sorted doc values. */
    SORTED_IDS,
    /** 2026-12-03 to 06: id stored and as binary doc values, contents as binary doc values. */
    DOC_VALUES,
    /** Now: id as binary doc values (not stored), contents in the {@link PassageTexts} file. */
    TEXT_FILE
  }

  /**
   * As {@link #write}, in {@code layout} (the earlier ones for tests of reading old shards; all
   * sorted by id), merged to at most {@code maxSegments} segments (1 but in tests).
   */
  static long write(Path dir, Iterator<String[]> passages, AnalyzerConfig analyzer,
      Bm25Config bm25, double ramBufferMb, Layout layout, int maxSegments) {
    Iterator<Utf8Passage> utf8 = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return passages.hasNext();
      }

      @Override
      public Utf8Passage next() {
        String[] p = passages.next();
        return new Utf8Passage(p[0], p[1].getBytes(StandardCharsets.UTF_8));
      }
    };
    return writeLayout(dir, utf8, analyzer, bm25, ramBufferMb, layout, maxSegments);
  }

  private static long writeLayout(Path dir, Iterator<Utf8Passage> passages,
      AnalyzerConfig analyzer, Bm25Config bm25, double ramBufferMb, Layout layout,
      int maxSegments) {
    AnseriniAnalyzer analysis = analyzer.create();
    IndexWriterConfig config = new IndexWriterConfig(analysis)
        .setSimilarity(bm25.similarity())
        .setIndexSort(ShardOrder.SORT)
        .setRAMBufferSizeMB(ramBufferMb)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setUseCompoundFile(false);
    long n = 0;
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, config);
        PassageTexts.Writer texts = layout == Layout.TEXT_FILE
            ? new PassageTexts.Writer(directory) : null) {
      Document doc = new Document();
      StringField id = new StringField(PassageFields.ID, "",
          texts == null ? Field.Store.YES : Field.Store.NO);
      boolean docValues = layout == Layout.DOC_VALUES;
      // Unstored contents are analysed from their UTF-8 directly; stored ones need their text.
      boolean stored = layout == Layout.STORED || layout == Layout.SORTED_IDS;
      ContentsTokens tokens = stored ? null
          : new ContentsTokens(analysis, PassageFields.CONTENTS);
      Field contents = stored ? new Field(PassageFields.CONTENTS, "", STORED)
          : new Field(PassageFields.CONTENTS, tokens.stream(), CONTENTS);
      Field idValue = layout == Layout.SORTED_IDS
          ? new SortedDocValuesField(PassageFields.ID, new BytesRef())
          : new BinaryDocValuesField(PassageFields.ID, new BytesRef());
      BinaryDocValuesField text = new BinaryDocValuesField(PassageFields.CONTENTS, new BytesRef());
      SortedDocValuesField order = ShardOrder.key("");
      doc.add(id);
      doc.add(order);
      doc.add(contents);
      if (layout != Layout.STORED) {
        doc.add(idValue);
      }
      if (docValues) {
        doc.add(text);
      }
      if (texts != null) {
        doc.add(texts.field());
      }
      while (passages.hasNext()) {
        Utf8Passage p = passages.next();
        id.setStringValue(p.id());
        order.setBytesValue(ShardOrder.keyBytes(p.id()));
        idValue.setBytesValue(new BytesRef(p.id()));
        if (tokens != null) {
          tokens.set(p.contents());
        } else {
          contents.setStringValue(new String(p.contents(), StandardCharsets.UTF_8));
        }
        if (texts != null) {
          texts.add(new BytesRef(p.contents()));
        } else if (docValues) {
          text.setBytesValue(new BytesRef(p.contents()));
        }
        writer.addDocument(doc);
        n++;
      }
      writer.forceMerge(maxSegments);
      writer.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write index shard " + dir, e);
    }
    return n;
  }
}
