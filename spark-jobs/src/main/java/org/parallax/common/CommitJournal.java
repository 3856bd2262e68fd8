package org.parallax.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Replaces an existing output directory by a complete staging directory without the output path
 * ever going missing: a journal ({@code .<out>._commit}) records the staging and backup
 * directories and the phase; in phase {@code clear} the old entries move from the output into
 * the backup ({@code _SUCCESS} first, so readers see the output as incomplete), in phase
 * {@code install} the new entries move in ({@code _SUCCESS} last); then the journal, the backup
 * and the empty staging directory are removed. The journal is written only once staging is
 * complete, so a commit interrupted at any step is always completed forwards by
 * {@link #recover}, which is idempotent.
 */
final class CommitJournal {
  static final String JOURNAL = "._commit";

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private final Path backup;
  private final Consumer<String> beforeStep;

  CommitJournal(FileSystem fs, Path target, Path staging, Path backup,
      Consumer<String> beforeStep) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
    this.backup = backup;
    this.beforeStep = beforeStep;
  }

  /**
   * Runs the whole commit from the start; {@code started} runs once the journal is written, from
   * when on the commit is completed rather than undone.
   */
  void run(Runnable started) throws IOException {
    write("clear");
    started.run();
    clear();
    beforeStep.accept("journal-install");
    write("install");
    install();
    finish();
  }

  /**
   * Completes the interrupted commit of {@code target}, if its journal is there.
   *
   * @return whether there was one to complete
   */
  static boolean recover(FileSystem fs, Path target) throws IOException {
    Path journal = StagedOutput.sibling(target, JOURNAL);
    if (!fs.exists(journal)) {
      return false;
    }
    Properties p = new Properties();
    try (InputStream in = fs.open(journal)) {
      p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
    }
    String staging = p.getProperty("staging");
    String backup = p.getProperty("backup");
    if (staging == null || backup == null) {
      // Cut short while the journal itself was written: nothing had moved yet.
      fs.delete(journal, false);
      return true;
    }
    CommitJournal c = new CommitJournal(fs, target, new Path(staging), new Path(backup),
        step -> { });
    if ("clear".equals(p.getProperty("phase"))) {
      c.clear();
      c.write("install");
    }
    c.install();
    c.finish();
    return true;
  }

  private void write(String phase) throws IOException {
    Properties p = new Properties();
    p.setProperty("staging", staging.toString());
    p.setProperty("backup", backup.toString());
    p.setProperty("phase", phase);
    try (OutputStream os = fs.create(StagedOutput.sibling(target, JOURNAL), true)) {
      p.store(new java.io.OutputStreamWriter(os, StandardCharsets.UTF_8), "parallax commit");
    }
  }

  /** Moves the old entries of the output into the backup, {@code _SUCCESS} first. */
  private void clear() throws IOException {
    fs.mkdirs(backup);
    fs.mkdirs(target);
    Path success = new Path(target, StagedOutput.SUCCESS);
    if (fs.exists(success)) {
      beforeStep.accept("unmark");
      move(success, new Path(backup, StagedOutput.SUCCESS));
    }
    for (FileStatus st : fs.listStatus(target)) {
      beforeStep.accept("clear " + st.getPath().getName());
      move(st.getPath(), new Path(backup, st.getPath().getName()));
    }
  }

  /** Moves the new entries into the output, {@code _SUCCESS} last. */
  private void install() throws IOException {
    fs.mkdirs(target);
    if (fs.exists(staging)) {
      for (FileStatus st : fs.listStatus(staging)) {
        if (!st.getPath().getName().equals(StagedOutput.SUCCESS)) {
          beforeStep.accept("install " + st.getPath().getName());
          move(st.getPath(), new Path(target, st.getPath().getName()));
        }
      }
      Path success = new Path(staging, StagedOutput.SUCCESS);
      if (fs.exists(success)) {
        beforeStep.accept("mark");
        move(success, new Path(target, StagedOutput.SUCCESS));
      }
    }
  }

  private void finish() throws IOException {
    beforeStep.accept("cleanup");
    fs.delete(StagedOutput.sibling(target, JOURNAL), false);
    fs.delete(backup, true);
    fs.delete(staging, true);
  }

  private void move(Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
