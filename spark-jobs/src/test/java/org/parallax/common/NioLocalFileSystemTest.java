package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local file system sets the modes Hadoop's own would, without chmod. */
class NioLocalFileSystemTest {
  @TempDir java.nio.file.Path tmp;

  @Test
  void filesAndDirectoriesGetTheModesAskedFor() throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.permissions.umask-mode", "022");
    try (NioLocalFileSystem fs = new NioLocalFileSystem()) {
      fs.initialize(java.net.URI.create("file:///"), conf);
      Path dir = new Path(tmp.toUri().toString(), "a/b");
      fs.mkdirs(dir, new FsPermission((short) 0750));
      assertEquals("rwxr-x---", mode(tmp.resolve("a/b")));
      Path file = new Path(dir, "part-0");
      try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0666), true, 4096,
          (short) 1, 1 << 20, null)) {
        out.writeBytes("x");
      }
      assertEquals("rw-r--r--", mode(tmp.resolve("a/b/part-0")));
      for (short m : new short[] {0, 0400, 0111, 0777, 0604}) {
        fs.setPermission(file, new FsPermission(m));
        assertEquals(new FsPermission(m).toString(), mode(tmp.resolve("a/b/part-0")));
      }
      assertThrows(FileNotFoundException.class,
          () -> fs.setPermission(new Path(dir, "missing"), new FsPermission((short) 0644)));
    }
  }

  private static String mode(java.nio.file.Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
