package org.parallax.common;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Moves a complete staging directory into an output, {@code _SUCCESS} strictly last, so that a
 * commit cut short at any step (an exception, a kill -9) is completed forwards by
 * {@link #recover}, which is idempotent. A journal ({@code .<out>._commit}, written once, ending
 * in an {@code end} line) names the staging and, when an output is replaced, the backup
 * directory. Replacing: in phase {@code clear} the output's {@code _SUCCESS} is deleted and its
 * entries move into the backup (the output directory itself stays); a marker
 * {@code .<out>._commit-install} starts phase {@code install}. Then the new entries move in
 * (a first write renames the whole staging directory), {@code _SUCCESS} is written in its final
 * place, and the journal, marker, backup and staging are deleted. On a store whose listings lag
 * ({@link StagedOutput#LISTING_LAG}) the commit waits out the lag before it lists and before
 * {@code _SUCCESS}. Staging never holds a
 * {@code _SUCCESS}, so no copy or rename can show one early. Only the holder of the output's
 * {@link OutputLease} runs or recovers a commit.
 */
final class CommitJournal {
  static final String JOURNAL = "._commit";
  static final String INSTALLING = "._commit-install";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final Path backup;
  private final Consumer<String> beforeStep;
  private final ResumableMove mover;
  private final long listingLagMillis;

  /**
   * A commit of {@code staging} into {@code target}; null {@code backup} for a first write.
   * {@code listingLagMillis} ({@link StagedOutput#LISTING_LAG}) is waited before the commit
   * lists anything and before {@code _SUCCESS}.
   */
  CommitJournal(FileSystem fs, Path target, Path staging, Path backup,
      Consumer<String> beforeStep, long listingLagMillis) {
    this.fs = fs;
    this.listingLagMillis = listingLagMillis;
    this.target = target;
    this.staging = staging;
    this.backup = backup;
    this.beforeStep = beforeStep;
    this.mover = new ResumableMove(fs);
  }

  /**
   * Runs the whole commit from the start; {@code started} runs once the journal is written, from
   * when on the commit is completed rather than undone.
   */
  void run(Runnable started) throws IOException {
    beforeStep.accept("journal");
    // A marker a commit cut short after its journal was deleted would skip this one's clear.
    fs.delete(StagedOutput.sibling(target, INSTALLING), false);
    settle();
    writeJournal();
    started.run();
    if (backup != null) {
      clear();
      beforeStep.accept("journal-install");
      fs.create(StagedOutput.sibling(target, INSTALLING), true).close();
    }
    install();
    finish();
  }

  /**
   * Completes the interrupted commit of {@code target}, if its journal is there.
   *
   * @return whether there was one to complete
   */
  static boolean recover(FileSystem fs, Path target, long listingLagMillis) throws IOException {
    Path journal = StagedOutput.sibling(target, JOURNAL);
    Map<String, String> p = readJournal(fs, journal);
    if (p == null) {
      return false;
    }
    if (!p.containsKey("end") || p.get("staging") == null) {
      // Cut short while the journal itself was written: nothing had moved yet.
      fs.delete(journal, false);
      return true;
    }
    String backup = p.get("backup");
    CommitJournal c = new CommitJournal(fs, target, new Path(p.get("staging")),
        backup == null ? null : new Path(backup), step -> { }, listingLagMillis);
    c.settle();
    if (backup != null && !fs.exists(StagedOutput.sibling(target, INSTALLING))) {
      c.clear();
      fs.create(StagedOutput.sibling(target, INSTALLING), true).close();
    }
    c.install();
    c.finish();
    return true;
  }

  private void writeJournal() throws IOException {
    StringBuilder text = new StringBuilder("staging=").append(staging).append('\n');
    if (backup != null) {
      text.append("backup=").append(backup).append('\n');
    }
    text.append("end=1\n");
    try (OutputStream os = fs.create(StagedOutput.sibling(target, JOURNAL), true)) {
      os.write(text.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private static Map<String, String> readJournal(FileSystem fs, Path journal) throws IOException {
    String text;
    try (InputStream in = fs.open(journal)) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (FileNotFoundException none) {
      return null;
    }
    Map<String, String> p = new HashMap<>();
    if (!text.endsWith("end=1\n")) {
      return p;
    }
    for (String line : text.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        p.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    return p;
  }

  /** Unmarks the output and moves its old entries into the backup. */
  private void clear() throws IOException {
    fs.mkdirs(backup);
    fs.mkdirs(target);
    Path success = new Path(target, StagedOutput.SUCCESS);
    if (fs.exists(success)) {
      beforeStep.accept("unmark");
      fs.delete(success, false);
    }
    for (FileStatus st : fs.listStatus(target)) {
      beforeStep.accept("clear " + st.getPath().getName());
      mover.move(st.getPath(), new Path(backup, st.getPath().getName()));
    }
  }

  /** Moves the new entries into the output, then writes {@code _SUCCESS} in place. */
  private void install() throws IOException {
    if (!fs.exists(target)) {
      beforeStep.accept("publish");
      fs.mkdirs(target.getParent());
      mover.move(staging, target);
    } else if (fs.exists(staging)) {
      for (FileStatus st : fs.listStatus(staging)) {
        beforeStep.accept("install " + st.getPath().getName());
        mover.move(st.getPath(), new Path(target, st.getPath().getName()));
      }
    }
    settle();
    beforeStep.accept("mark");
    fs.create(new Path(target, StagedOutput.SUCCESS), true).close();
  }

  /** Waits until objects written so far show in listings, on a store whose listings lag. */
  private void settle() throws IOException {
    if (listingLagMillis <= 0) {
      return;
    }
    try {
      Thread.sleep(listingLagMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while waiting out the listing lag");
    }
  }

  private void finish() throws IOException {
    beforeStep.accept("cleanup");
    fs.delete(StagedOutput.sibling(target, JOURNAL), false);
    fs.delete(StagedOutput.sibling(target, INSTALLING), false);
    if (backup != null) {
      fs.delete(backup, true);
    }
    fs.delete(staging, true);
  }
}
