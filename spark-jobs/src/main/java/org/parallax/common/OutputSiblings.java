package org.parallax.common;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The hidden siblings a run of an output leaves beside it: staging ({@code .<out>._staging-<run>})
 * and backup ({@code .<out>._replaced-<run>}) directories, and markers of lease take-overs and
 * of a commit's install phase. Called by the holder of the output's
 * {@link OutputLease} once any interrupted commit is complete: every sibling of another run
 * then belongs to a run that no longer holds the lease and can never commit, whatever its age.
 */
final class OutputSiblings {
  private final FileSystem fs;
  private final Path target;

  OutputSiblings(FileSystem fs, Path target) {
    this.fs = fs;
    this.target = target;
  }

  /** Deletes the siblings not of run {@code runId}; one line per deletion, saying whose. */
  List<String> removeOthers(String runId) throws IOException {
    List<String> removed = new ArrayList<>();
    Path parent = target.getParent();
    if (parent == null || !fs.exists(parent)) {
      return removed;
    }
    String dot = "." + target.getName();
    for (FileStatus st : fs.listStatus(parent)) {
      String name = st.getPath().getName();
      String run = runOf(name, dot);
      if (run == null || run.equals(runId)) {
        continue;
      }
      if (fs.delete(st.getPath(), true)) {
        removed.add("removed " + st.getPath() + " (" + whose(run) + ")");
      }
    }
    return removed;
  }

  /** The run a sibling belongs to ("" for markers of no run), or null for other names. */
  private static String runOf(String name, String dot) {
    for (String kind : List.of(StagedOutput.STAGING, StagedOutput.REPLACED, OutputLease.TAKEN)) {
      if (name.startsWith(dot + kind)) {
        return name.substring(dot.length() + kind.length());
      }
    }
    if (name.equals(dot + CommitJournal.INSTALLING)) {
      return "";
    }
    return null;
  }

  private static String whose(String run) {
    StagingOwner owner = StagingOwner.parse(run);
    if (owner == null) {
      return "left by a run that no longer holds the lease";
    }
    return "its run " + run + " no longer holds the lease"
        + (owner.gone() ? "; its process " + owner.pid() + " is gone" : "");
  }
}
