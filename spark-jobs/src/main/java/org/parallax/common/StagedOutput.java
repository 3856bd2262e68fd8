package org.parallax.common;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory that becomes visible all at once. A run first takes the output's
 * {@link OutputLease} (waiting up to {@code --wait-for-output} for another run that holds it),
 * then writes everything under {@link #staging()}, a hidden sibling of the final directory named
 * after the run; {@link #commit()} moves it into place by a {@link CommitJournal}, data first and
 * {@code _SUCCESS} written last in its final place, then releases the lease; {@link #abort()}
 * deletes the staging directory and releases the lease. An existing output is never touched
 * unless the job was given {@code --overwrite}.
 *
 * <p>When a run replaces an output, the output directory itself stays in place throughout (its
 * old entries move to a backup, then the new ones move in, then {@code _SUCCESS}), so after a
 * previous success the output path is never missing. Only the lease holder touches the
 * output's siblings: {@link #open} completes a commit a previous holder left (an exception, a
 * kill -9), then removes every other run's staging and backup directories of the output (their
 * runs no longer hold the lease) and lists them in {@link #cleaned()}. Nothing is judged by
 * modification times, which object stores do not keep for prefixes. Readers must check
 * {@code _SUCCESS}: on object stores a rename is a copy, object by object.
 */
public final class StagedOutput implements AutoCloseable {
  public static final String SUCCESS = "_SUCCESS";
  /**
   * Hadoop configuration key: how long a new object may stay missing from listings of the
   * output's file system (default 0: HDFS, the local disk, S3, GCS and ADLS list consistently).
   * Set it for a store whose listings lag: a commit then waits this long before it lists the
   * staged data, and again before it writes {@code _SUCCESS}, so the marker never appears
   * before a listing shows the data.
   */
  public static final String LISTING_LAG = "parallax.commit.listing-lag";
  static final String STAGING = "._staging-";
  static final String REPLACED = "._replaced-";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final boolean overwrite;
  private final OutputLease lease;
  private final List<String> cleaned;
  private final long listingLagMillis;
  private Consumer<String> beforeStep = step -> { };
  private boolean commitStarted;

  private StagedOutput(FileSystem fs, Path target, boolean overwrite, OutputLease lease,
      List<String> cleaned, long listingLagMillis) {
    this.fs = fs;
    this.listingLagMillis = listingLagMillis;
    this.target = target;
    this.overwrite = overwrite;
    this.lease = lease;
    this.cleaned = cleaned;
    this.staging = sibling(target, STAGING + lease.runId());
  }

  /** {@link #open(String, boolean, long, Configuration)} without waiting for another run. */
  public static StagedOutput open(String out, boolean overwrite, Configuration hadoopConf) {
    return open(out, overwrite, 0, hadoopConf);
  }

  /**
   * Opens a staged output for {@code out}: takes its lease (waiting up to {@code waitMillis}),
   * completes an interrupted commit of it, removes other runs' staging, and fails at once
   * (before any work is done) when it exists and {@code overwrite} is false.
   *
   * @throws OutputBusyException when another run holds the output after the wait
   */
  public static StagedOutput open(String out, boolean overwrite, long waitMillis,
      Configuration hadoopConf) {
    Path target;
    FileSystem fs;
    try {
      target = new Path(out);
      fs = target.getFileSystem(hadoopConf);
      fs.setWriteChecksum(false);
      target = fs.makeQualified(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare output " + out, e);
    }
    long lag = hadoopConf.getTimeDuration(LISTING_LAG, 0, TimeUnit.MILLISECONDS);
    OutputLease lease = OutputLease.acquire(fs, target, hadoopConf, waitMillis);
    try {
      List<String> cleaned = new ArrayList<>();
      if (lease.tookOver() != null) {
        cleaned.add(lease.tookOver());
      }
      if (CommitJournal.recover(fs, target, lag)) {
        cleaned.add("completed the interrupted commit of " + target);
      }
      cleaned.addAll(new OutputSiblings(fs, target).removeOthers(lease.runId()));
      if (fs.exists(target) && !overwrite) {
        throw new JobFailedException(
            "output " + out + " already exists; pass --overwrite to replace it (it was left untouched)");
      }
      StagedOutput staged = new StagedOutput(fs, target, overwrite, lease, cleaned, lag);
      fs.mkdirs(staged.staging);
      return staged;
    } catch (IOException | RuntimeException e) {
      lease.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot prepare output " + out, io);
      }
      throw (RuntimeException) e;
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

  /**
   * Moves the staged output into place, marks it complete ({@code _SUCCESS} last) and releases
   * the lease.
   *
   * @throws JobFailedException when this run lost its lease or a foreign writer created the
   *     output meanwhile (nothing was moved)
   */
  public void commit() {
    try {
      lease.check();
      boolean replace = fs.exists(target);
      if (replace && !overwrite) {
        throw new JobFailedException(
            "output " + target + " appeared while the job ran; pass --overwrite to replace it");
      }
      Path backup = replace ? sibling(target, REPLACED + lease.runId()) : null;
      new CommitJournal(fs, target, staging, backup, beforeStep, listingLagMillis).run(() -> commitStarted = true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot commit output " + target, e);
    }
    lease.close();
  }

  /** Completes a commit that failed part-way (see {@link CommitJournal#recover}). */
  public boolean recover() {
    try {
      lease.check();
      return CommitJournal.recover(fs, target, listingLagMillis);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot complete the commit of " + target, e);
    }
  }

  /** Removes the staging directory and releases the lease; the output is as it was. */
  public void abort() {
    try {
      fs.delete(staging, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove staging directory " + staging, e);
    } finally {
      lease.close();
    }
  }

  /** Releases the lease (after a commit or a failure has been dealt with); idempotent. */
  @Override
  public void close() {
    lease.close();
  }

  static Path sibling(Path target, String suffix) {
    return new Path(target.getParent(), "." + target.getName() + suffix);
  }
}
