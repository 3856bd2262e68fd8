package org.parallax.common;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory that becomes visible all at once. A job writes everything under
 * {@link #staging()}, a hidden sibling of the final directory; {@link #commit()} renames it into
 * place and writes {@code _SUCCESS}; {@link #abort()} deletes it. An existing output is never touched
 * unless the job was given {@code --overwrite}, and then only replaced after the new output is
 * complete. On object stores without atomic rename (S3) the rename is a copy: the {@code _SUCCESS}
 * marker, written last, is what readers must check.
 */
public final class StagedOutput {
  public static final String SUCCESS = "_SUCCESS";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;

  private StagedOutput(FileSystem fs, Path target, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.overwrite = overwrite;
    String tag = UUID.randomUUID().toString().substring(0, 8);
    this.staging = new Path(target.getParent(), "." + target.getName() + "._staging-" + tag);
  }

  /**
   * Opens a staged output for {@code out}, failing at once (before any work is done) when it
   * exists and {@code overwrite} is false.
   */
  public static StagedOutput open(String out, boolean overwrite, Configuration hadoopConf) {
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(hadoopConf);
      fs.setWriteChecksum(false);
      target = fs.makeQualified(target);
      if (fs.exists(target) && !overwrite) {
        throw new JobFailedException(
            "output " + out + " already exists; pass --overwrite to replace it (it was left untouched)");
      }
      StagedOutput staged = new StagedOutput(fs, target, overwrite);
      fs.mkdirs(staged.staging);
      return staged;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + out, e);
    }
  }

  /** The directory the job writes into before commit. */
  public Path staging() {
    return staging;
  }

  /** A path under the staging directory, as a string Spark writers take. */
  public String path(String relative) {
    return new Path(staging, relative).toString();
  }

  /** The final directory, where outputs are once committed. */
  public Path target() {
    return target;
  }

  /** A path under the final directory (valid after commit), for the report. */
  public String finalPath(String relative) {
    return new Path(target, relative).toString();
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** Writes a small UTF-8 text file (a report, a manifest) into the staging directory. */
  public void writeText(String relative, String text) {
    writeBytes(relative, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes a small file (a chart) into the staging directory. */
  public void writeBytes(String relative, byte[] bytes) {
    try (OutputStream os = fs.create(new Path(staging, relative), true)) {
      os.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + relative, e);
    }
  }

  /** Moves the staged output into place and marks it complete. */
  public void commit() {
    try {
      Path old = null;
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new JobFailedException(
              "output " + target + " appeared while the job ran; pass --overwrite to replace it");
        }
        old = new Path(target.getParent(), "." + target.getName() + "._replaced-" + UUID.randomUUID());
        rename(target, old);
      }
      fs.mkdirs(target.getParent());
      rename(staging, target);
      fs.create(new Path(target, SUCCESS), true).close();
      if (old != null) {
        fs.delete(old, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit output " + target, e);
    }
  }

  /** Removes the staging directory; the final directory is as it was before the job. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove staging directory " + staging, e);
    }
  }

  private void rename(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
