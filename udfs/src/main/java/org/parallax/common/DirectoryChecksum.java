package org.parallax.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The content identity of a directory of files (an index shard, a trained model): a CRC32 over
 * its files' names and bytes in name order, written {@code crc32:%08x}, and their total size.
 * Hidden files (Hadoop's {@code .crc} files) and the markers {@code _SUCCESS} and
 * {@link #FINGERPRINT} are not content; every other file is (Lucene's {@code _0.cfs} too). Producers write it into their
 * manifest; consumers key their caches by it and verify it when they copy or open the directory.
 *
 * @param bytes total size of the content files
 * @param checksum {@code crc32:} and eight hex digits
 */
public record DirectoryChecksum(long bytes, String checksum) {
  /** Where a producer may store the checksum inside the directory it describes. */
  public static final String FINGERPRINT = "_fingerprint";

  /** The checksum of the content files directly in {@code dir}. */
  public static DirectoryChecksum of(Path dir) {
    CRC32 crc = new CRC32();
    long bytes = 0;
    byte[] buf = new byte[1 << 16];
    try {
      for (Path f : contentFiles(dir)) {
        crc.update(f.getFileName().toString().getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(f)) {
          int n;
          while ((n = in.read(buf)) > 0) {
            crc.update(buf, 0, n);
            bytes += n;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot checksum " + dir, e);
    }
    return new DirectoryChecksum(bytes, String.format("crc32:%08x", crc.getValue()));
  }

  /**
   * Checks that {@code dir} holds the content {@code expected} names.
   *
   * @param what the directory as a person knows it, e.g. {@code shard 3 of hdfs:///idx}
   * @throws IllegalStateException naming {@code what} and both checksums when they differ
   */
  public static void verify(Path dir, String expected, String what) {
    String actual = of(dir).checksum();
    if (!actual.equals(expected)) {
      throw new IllegalStateException(String.format(
          "%s is corrupt or was replaced: its files have checksum %s, its manifest says %s "
              + "(local copy %s)", what, actual, expected, dir));
    }
  }

  private static List<Path> contentFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> {
        String n = p.getFileName().toString();
        return !n.startsWith(".") && !n.equals("_SUCCESS") && !n.equals(FINGERPRINT);
      }).sorted().toList();
    }
  }
}
