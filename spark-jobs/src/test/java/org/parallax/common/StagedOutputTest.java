package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedOutputTest {
  @TempDir Path tmp;
  private final Configuration conf = new Configuration();

  @Test
  void nothingIsVisibleUntilCommit() throws Exception {
    Path out = tmp.resolve("out");
    StagedOutput staged = StagedOutput.open(out.toString(), false, conf);
    staged.writeText("a.txt", "new");
    assertFalse(Files.exists(out));
    staged.commit();
    assertEquals("new", Files.readString(out.resolve("a.txt")));
    assertTrue(Files.exists(out.resolve(StagedOutput.SUCCESS)));
    assertEquals(1, count(tmp), "staging directory was renamed, not copied");
  }

  @Test
  void refusesExistingOutputUnlessOverwrite() throws Exception {
    Path out = tmp.resolve("out");
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "old");
    JobFailedException e = assertThrows(JobFailedException.class,
        () -> StagedOutput.open(out.toString(), false, conf));
    assertTrue(e.getMessage().contains("--overwrite"));

    StagedOutput staged = StagedOutput.open(out.toString(), true, conf);
    staged.writeText("new.txt", "new");
    assertTrue(Files.exists(out.resolve("old.txt")), "old output stays until the new is complete");
    staged.commit();
    assertFalse(Files.exists(out.resolve("old.txt")));
    assertEquals("new", Files.readString(out.resolve("new.txt")));
    assertEquals(1, count(tmp));
  }

  @Test
  void abortLeavesNoTrace() throws Exception {
    StagedOutput staged = StagedOutput.open(tmp.resolve("out").toString(), false, conf);
    staged.writeText("a.txt", "x");
    staged.abort();
    assertEquals(0, count(tmp));
  }

  /** Every step at which a commit that replaces an output can be cut short. */
  private static final List<String> STEPS = List.of("unmark", "clear a.txt",
      "clear _report.json", "journal-install", "install b.txt", "install _report.json", "mark",
      "cleanup");

  @Test
  void aReplacingCommitCutShortAtAnyStepNeverLosesTheOutputAndIsCompletedByTheNextRun()
      throws Exception {
    for (String failAt : STEPS) {
      Path out = tmp.resolve("out-" + failAt.replace(' ', '_'));
      StagedOutput first = StagedOutput.open(out.toString(), false, conf);
      first.writeText("a.txt", "old");
      first.writeText("_report.json", "{\"run\": 1}");
      first.commit();

      StagedOutput second = StagedOutput.open(out.toString(), true, conf);
      second.writeText("b.txt", "new");
      second.writeText("_report.json", "{\"run\": 2}");
      List<String> seen = new ArrayList<>();
      second.beforeEachStep(step -> {
        seen.add(step);
        assertTrue(Files.isDirectory(out), "output missing before step " + step);
        if (step.equals(failAt)) {
          throw new IllegalStateException("injected failure at " + failAt);
        }
      });
      IllegalStateException e = assertThrows(IllegalStateException.class, second::commit);
      assertEquals("injected failure at " + failAt, e.getMessage());
      assertTrue(seen.contains(failAt), failAt + " is not a step: " + seen);
      assertTrue(Files.isDirectory(out), "output path missing after a failure at " + failAt);

      // The next run of any job with this output completes the commit, then proceeds.
      StagedOutput third = StagedOutput.open(out.toString(), true, conf);
      assertEquals("new", Files.readString(out.resolve("b.txt")), failAt);
      assertEquals("{\"run\": 2}", Files.readString(out.resolve("_report.json")), failAt);
      assertFalse(Files.exists(out.resolve("a.txt")), failAt);
      assertTrue(Files.exists(out.resolve(StagedOutput.SUCCESS)), failAt);
      assertTrue(third.cleaned().stream().anyMatch(c -> c.contains("interrupted commit"))
          || failAt.equals("cleanup"), failAt + ": " + third.cleaned());
      third.abort();
      try (Stream<Path> s = Files.list(tmp)) {
        List<String> left = s.map(p -> p.getFileName().toString())
            .filter(n -> n.startsWith("." + out.getFileName())).toList();
        assertEquals(List.of(), left, "leftovers after a failure at " + failAt);
      }
    }
  }

  @Test
  void staleStagingOfAGoneProcessOrPastTheAgeIsRemovedAndReported() throws Exception {
    Path out = tmp.resolve("out");
    StagingOwner me = StagingOwner.current();
    long gone = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 1000;
    Path dead = tmp.resolve(".out._staging-0badcafe-" + gone + "@" + me.host());
    Path old = tmp.resolve(".out._staging-5e5e5e5e");
    Path live = tmp.resolve(".out._staging-11111111-" + ProcessHandle.current().pid() + "@"
        + me.host());
    Path other = tmp.resolve(".other._staging-0badcafe-" + gone + "@" + me.host());
    for (Path p : List.of(dead, old, live, other)) {
      Files.createDirectories(p.resolve("part"));
    }
    Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - 3 * 3_600_000L));
    Configuration twoHours = new Configuration(conf);
    twoHours.set(StagedOutput.STALE_HOURS, "2");
    StagedOutput staged = StagedOutput.open(out.toString(), false, twoHours);
    assertFalse(Files.exists(dead));
    assertFalse(Files.exists(old));
    assertTrue(Files.exists(live), "this process's own staging is in use");
    assertTrue(Files.exists(other), "another output's staging is not this run's business");
    assertEquals(2, staged.cleaned().size(), staged.cleaned().toString());
    assertTrue(staged.cleaned().stream().anyMatch(c -> c.contains("process " + gone + " is gone")));
    assertTrue(staged.cleaned().stream().anyMatch(c -> c.contains("hours old")));
  }

  private static long count(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
