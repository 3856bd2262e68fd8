package org.parallax.common;

import java.io.ByteArrayInputStream;
import org.apache.hadoop.fs.PositionedReadable;
import org.apache.hadoop.fs.Seekable;

/** An object's bytes as the seekable stream a Hadoop file system's {@code open} returns. */
final class SeekableBytes extends ByteArrayInputStream implements Seekable, PositionedReadable {
  SeekableBytes(byte[] bytes) {
    super(bytes);
  }

  @Override
  public void seek(long p) {
    pos = (int) Math.min(p, count);
  }

  @Override
  public long getPos() {
    return pos;
  }

  @Override
  public boolean seekToNewSource(long target) {
    return false;
  }

  @Override
  public int read(long position, byte[] b, int off, int len) {
    if (position >= count) {
      return -1;
    }
    int n = (int) Math.min(len, count - position);
    System.arraycopy(buf, (int) position, b, off, n);
    return n;
  }

  @Override
  public void readFully(long position, byte[] b, int off, int len) throws java.io.IOException {
    if (read(position, b, off, len) < len) {
      throw new java.io.EOFException("read past the end of the object");
    }
  }

  @Override
  public void readFully(long position, byte[] b) throws java.io.IOException {
    readFully(position, b, 0, b.length);
  }
}
