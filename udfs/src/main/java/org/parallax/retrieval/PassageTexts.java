package org.parallax.retrieval;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.util.BytesRef;

/**
 * The raw contents of a shard's passages in a file beside its Lucene segments
 * ({@value #FILE}): each passage's UTF-8 bytes after their length (a vint), appended as the
 * passages are added, and each document's position in the file kept as numeric doc values
 * ({@link PassageFields#CONTENTS_AT}), which index sorting and merges carry along with the
 * document. The text thus takes no room in the writer's RAM buffer (as binary doc values it
 * filled it, so a shard of 500,000 passages flushed several segments and had to merge them), and
 * a hit's text is one positioned read. The file has a Lucene header and footer.
 */
public final class PassageTexts {
  /** The file's name in the shard directory. */
  public static final String FILE = "passages.dat";
  private static final String CODEC = "ParallaxPassageTexts";
  private static final int VERSION = 0;

  private PassageTexts() {}

  /** Appends passages' texts to {@value #FILE} of a shard being written. */
  static final class Writer implements Closeable {
    private final IndexOutput out;
    private final NumericDocValuesField at = new NumericDocValuesField(
        PassageFields.CONTENTS_AT, 0L);

    Writer(Directory dir) throws IOException {
      this.out = dir.createOutput(FILE, IOContext.DEFAULT);
      CodecUtil.writeHeader(out, CODEC, VERSION);
    }

    /** The doc-values field to add to each document; {@link #add} sets its value. */
    NumericDocValuesField field() {
      return at;
    }

    /** Appends {@code utf8} and points {@link #field()} at it. */
    void add(BytesRef utf8) throws IOException {
      at.setLongValue(out.getFilePointer());
      out.writeVInt(utf8.length);
      out.writeBytes(utf8.bytes, utf8.offset, utf8.length);
    }

    @Override
    public void close() throws IOException {
      try (out) {
        CodecUtil.writeFooter(out);
      }
    }
  }

  /** Reads texts from {@value #FILE} of an open shard; thread-safe. */
  static final class Reader implements Closeable {
    private final IndexInput in;

    Reader(Directory dir) throws IOException {
      this.in = dir.openInput(FILE, IOContext.DEFAULT);
      try {
        CodecUtil.checkHeader(in, CODEC, VERSION, VERSION);
      } catch (IOException | RuntimeException e) {
        in.close();
        throw e;
      }
    }

    /** A reader of the file for one thread (a clone of the shared input). */
    IndexInput cursor() {
      return in.clone();
    }

    /** The text at file position {@code at}, read with {@code cursor}. */
    static String text(IndexInput cursor, long at) throws IOException {
      cursor.seek(at);
      byte[] bytes = new byte[cursor.readVInt()];
      cursor.readBytes(bytes, 0, bytes.length);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
