package org.parallax.common;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Moves a file or directory to a path on a Hadoop file system in a way that a second attempt
 * completes what an interrupted first one left: on an object store a rename copies object by
 * object, so a directory may be found half at its source and half at its destination. A rename
 * is issued only onto an absent path and verified afterwards, so the moved entry never lands
 * inside a directory that appeared meanwhile (Hadoop's rename moves a source into an existing
 * destination directory and reports success).
 */
final class ResumableMove {
  private final FileSystem fs;

  ResumableMove(FileSystem fs) {
    this.fs = fs;
  }

  /**
   * Moves {@code from} to {@code to}: one rename when {@code to} is absent; into an existing
   * directory child by child (what an interrupted move left); over an existing file (an earlier
   * attempt's copy). Nothing to do when {@code from} is gone.
   */
  void move(Path from, Path to) throws IOException {
    FileStatus src = status(from);
    if (src == null) {
      return;
    }
    FileStatus dst = status(to);
    if (dst == null) {
      rename(from, to, src.isDirectory());
    } else if (src.isDirectory() && dst.isDirectory()) {
      for (FileStatus child : fs.listStatus(from)) {
        move(child.getPath(), new Path(to, child.getPath().getName()));
      }
      fs.delete(from, true);
    } else {
      fs.delete(to, true);
      rename(from, to, src.isDirectory());
    }
  }

  private void rename(Path from, Path to, boolean directory) throws IOException {
    Path nested = new Path(to, from.getName());
    boolean ownChild = directory && fs.exists(new Path(from, from.getName()));
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
    if (fs.exists(from) || !fs.exists(to) || (directory && !ownChild && fs.exists(nested))) {
      throw new IOException("rename " + from + " -> " + to + " did not land at " + to
          + " (another writer created it meanwhile); the output was not marked complete");
    }
  }

  private FileStatus status(Path p) throws IOException {
    try {
      return fs.getFileStatus(p);
    } catch (FileNotFoundException absent) {
      return null;
    }
  }
}
