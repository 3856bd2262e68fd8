package org.parallax.retrieval;

import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;

/**
 * The analysis of passage contents given as UTF-8, for one writing thread: the analyzer's token
 * stream, created once, reads each passage through one reused reader over its text decoded into
 * one reused buffer. As {@link Analyzer#tokenStream(String, String)} it yields the analyzer's
 * tokens of the decoded text (malformed bytes replaced as {@code new String(bytes, UTF_8)} does),
 * without a String per passage or the analyzer's per-thread lookup of its components per
 * passage. Not thread-safe.
 */
final class ContentsTokens {
  private final Analyzer.TokenStreamComponents components;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPLACE)
      .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private final Chars reader = new Chars();
  private CharBuffer text = CharBuffer.allocate(4096);

  ContentsTokens(AnseriniAnalyzer analyzer, String field) {
    this.components = analyzer.createComponents(field);
  }

  /** The token stream, to be the value of the contents field; {@link #set} gives its input. */
  TokenStream stream() {
    return components.getTokenStream();
  }

  /** Makes {@code utf8} the input of {@link #stream()} for the next document. */
  void set(byte[] utf8) {
    if (text.capacity() < utf8.length) {
      // UTF-8 has at least one byte per UTF-16 char: the text fits.
      text = CharBuffer.allocate(Math.max(utf8.length, 2 * text.capacity()));
    }
    text.clear();
    decoder.reset();
    ByteBuffer in = ByteBuffer.wrap(utf8);
    if (decoder.decode(in, text, true).isOverflow() || decoder.flush(text).isOverflow()) {
      throw new IllegalStateException("decoded text longer than its UTF-8");
    }
    reader.reset(text.array(), text.position());
    components.getSource().accept(reader);
  }

  /** A reader of the first {@code length} chars of a reused array. */
  private static final class Chars extends Reader {
    private char[] chars;
    private int length;
    private int at;

    void reset(char[] chars, int length) {
      this.chars = chars;
      this.length = length;
      this.at = 0;
    }

    @Override
    public int read(char[] cbuf, int off, int len) {
      if (at >= length) {
        return -1;
      }
      int n = Math.min(len, length - at);
      System.arraycopy(chars, at, cbuf, off, n);
      at += n;
      return n;
    }

    @Override
    public void close() {
      // The chars are the owner's buffer, reused for the next passage.
    }
  }
}
