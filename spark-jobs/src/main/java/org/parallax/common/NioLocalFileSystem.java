package org.parallax.common;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file://}) setting the permission bits of each file and
 * directory it creates through {@code java.nio} rather than by running {@code chmod}, Hadoop's way
 * without its native library: one process per file or directory written (about 10 ms of CPU
 * each; a small recsys pipeline starts ~140). Everything else is Hadoop's. Embedded runs use it
 * ({@code conf/local.conf}: {@code spark.hadoop.fs.file.impl}), as do the test JVMs.
 */
public final class NioLocalFileSystem extends LocalFileSystem {
  /** The nine {@code rwx} bits, owner first, in {@link PosixFilePermission}'s order. */
  private static final PosixFilePermission[] BITS = PosixFilePermission.values();

  public NioLocalFileSystem() {
    super(new Raw());
  }

  /** {@link RawLocalFileSystem} with {@link #setPermission} through {@code java.nio}. */
  private static final class Raw extends RawLocalFileSystem {
    @Override
    public void setPermission(Path p, FsPermission permission) throws IOException {
      short mode = permission.toShort();
      Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
      for (int i = 0; i < BITS.length; i++) {
        if ((mode & (1 << (BITS.length - 1 - i))) != 0) {
          set.add(BITS[i]);
        }
      }
      try {
        Files.setPosixFilePermissions(pathToFile(p).toPath(), set);
      } catch (NoSuchFileException e) {
        throw new FileNotFoundException("File " + p + " does not exist");
      }
    }
  }
}
