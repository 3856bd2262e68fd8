package org.parallax.common;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory that becomes visible all at once. A job writes everything under
 * {@link #staging()}, a hidden sibling of the final directory named after its owner (process id
 * and host); {@link #commit()} moves it into place with {@code _SUCCESS} last; {@link #abort()}
 * deletes it. An existing output is never touched unless the job was given {@code --overwrite}.
 *
 * <p>Replacing an output is a journaled {@link CommitJournal}: the output directory itself stays
 * in place throughout (its old entries move to a backup, then the new ones move in, then
 * {@code _SUCCESS}), so after a previous success the output path is never missing, and a run
 * interrupted at any step (an exception, a kill -9) is completed by the next {@link #open} of the
 * same output. {@code open} also removes stale staging and backup directories of the output:
 * those whose owning process is gone (same host) or older than
 * {@code parallax.staging.stale-hours} (Hadoop configuration, default 24), and lists them in
 * {@link #cleaned()}. On object stores without atomic rename (S3) a rename is a copy: the
 * {@code _SUCCESS} marker, written last, is what readers must check.
 */
public final class StagedOutput {
  public static final String SUCCESS = "_SUCCESS";
  /** Hadoop configuration key: hours after which another owner's staging counts as stale. */
  public static final String STALE_HOURS = "parallax.staging.stale-hours";
  static final String STAGING = "._staging-";
  static final String REPLACED = "._replaced-";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final List<String> cleaned;
  private Consumer<String> beforeStep = step -> { };
  private boolean commitStarted;

  private StagedOutput(FileSystem fs, Path target, boolean overwrite, List<String> cleaned) {
    this.fs = fs;
    this.target = target;
    this.overwrite = overwrite;
    this.cleaned = cleaned;
    this.staging = sibling(target, STAGING + StagingOwner.current().tag());
  }

  /**
   * Opens a staged output for {@code out}: completes an interrupted commit of it, removes its
   * stale staging directories, and fails at once (before any work is done) when it exists and
   * {@code overwrite} is false.
   */
  public static StagedOutput open(String out, boolean overwrite, Configuration hadoopConf) {
    try {
      Path target = new Path(out);
      FileSystem fs = target.getFileSystem(hadoopConf);
      fs.setWriteChecksum(false);
      target = fs.makeQualified(target);
      List<String> cleaned = new ArrayList<>();
      if (CommitJournal.recover(fs, target)) {
        cleaned.add("completed the interrupted commit of " + target);
      }
      cleaned.addAll(removeStale(fs, target, hadoopConf.getDouble(STALE_HOURS, 24)));
      if (fs.exists(target) && !overwrite) {
        throw new JobFailedException(
            "output " + out + " already exists; pass --overwrite to replace it (it was left untouched)");
      }
      StagedOutput staged = new StagedOutput(fs, target, overwrite, cleaned);
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

  /** What {@link #open} cleaned up of earlier runs, one line each. */
  public List<String> cleaned() {
    return List.copyOf(cleaned);
  }

  /** Whether {@link #commit()} began moving files: after that, staging is not to be touched. */
  public boolean commitStarted() {
    return commitStarted;
  }

  /** For tests: runs before each step of the commit, which it may fail by throwing. */
  void beforeEachStep(Consumer<String> hook) {
    this.beforeStep = hook;
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
      fs.create(new Path(staging, SUCCESS), true).close();
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new JobFailedException(
              "output " + target + " appeared while the job ran; pass --overwrite to replace it");
        }
        Path backup = sibling(target, REPLACED + StagingOwner.current().tag());
        new CommitJournal(fs, target, staging, backup, beforeStep).run(() -> commitStarted = true);
      } else {
        fs.mkdirs(target.getParent());
        // One atomic rename: _SUCCESS is already inside.
        if (!fs.rename(staging, target)) {
          throw new IOException("rename " + staging + " -> " + target + " failed");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit output " + target, e);
    }
  }

  /** Completes a commit that failed part-way (see {@link CommitJournal#recover}). */
  public boolean recover() {
    try {
      return CommitJournal.recover(fs, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot complete the commit of " + target, e);
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

  static Path sibling(Path target, String suffix) {
    return new Path(target.getParent(), "." + target.getName() + suffix);
  }

  /** Deletes staging and backup directories of {@code target} whose owner is gone or old. */
  private static List<String> removeStale(FileSystem fs, Path target, double staleHours)
      throws IOException {
    List<String> removed = new ArrayList<>();
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return removed;
    }
    long now = System.currentTimeMillis();
    for (FileStatus st : fs.listStatus(parent)) {
      String name = st.getPath().getName();
      String staging = "." + target.getName() + STAGING;
      String backup = "." + target.getName() + REPLACED;
      String tag = name.startsWith(staging) ? name.substring(staging.length())
          : name.startsWith(backup) ? name.substring(backup.length()) : null;
      if (tag == null) {
        continue;
      }
      double ageHours = (now - st.getModificationTime()) / 3_600_000.0;
      String why = StagingOwner.staleness(tag, ageHours, staleHours);
      if (why != null && fs.delete(st.getPath(), true)) {
        removed.add("removed " + st.getPath() + " (" + why + ")");
      }
    }
    return removed;
  }
}
