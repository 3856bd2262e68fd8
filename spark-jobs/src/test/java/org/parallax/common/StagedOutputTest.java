package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The commit protocol on the local file system and on a store with S3's semantics. */
class StagedOutputTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void nothingIsVisibleUntilCommit(String kind) {
    TestStore store = TestStore.of(kind, tmp);
    StagedOutput staged = StagedOutput.open(store.uri("out"), false, store.conf());
    staged.writeText("a.txt", "new");
    assertFalse(store.exists("out"));
    staged.commit();
    assertEquals(Map.of("a.txt", "new", "_SUCCESS", ""), store.files("out"));
    assertEquals(List.of("out"), store.names(), "staging, journal or lease left behind");
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void refusesExistingOutputUnlessOverwrite(String kind) {
    TestStore store = TestStore.of(kind, tmp);
    StagedOutput first = StagedOutput.open(store.uri("out"), false, store.conf());
    first.writeText("old.txt", "old");
    first.commit();
    JobFailedException e = assertThrows(JobFailedException.class,
        () -> StagedOutput.open(store.uri("out"), false, store.conf()));
    assertTrue(e.getMessage().contains("--overwrite"));

    StagedOutput staged = StagedOutput.open(store.uri("out"), true, store.conf());
    staged.writeText("new.txt", "new");
    assertEquals("old", store.read("out/old.txt"), "old output stays until the new is complete");
    staged.commit();
    assertEquals(Map.of("new.txt", "new", "_SUCCESS", ""), store.files("out"));
    assertEquals(List.of("out"), store.names());
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void abortLeavesNoTrace(String kind) {
    TestStore store = TestStore.of(kind, tmp);
    StagedOutput staged = StagedOutput.open(store.uri("out"), false, store.conf());
    staged.writeText("a.txt", "x");
    staged.abort();
    assertEquals(List.of(), store.names());
  }

  /** Every step at which a commit can be cut short: first writes, then replacing ones. */
  private static final List<String> FIRST = List.of("journal", "publish", "mark", "cleanup");
  private static final List<String> REPLACE = List.of("journal", "unmark", "clear a.txt",
      "clear _report.json", "journal-install", "install b.txt", "install _report.json", "mark",
      "cleanup");

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void aCommitCutShortAtAnyStepIsCompletedByTheNextRunAndNeverLosesTheOutput(String kind) {
    TestStore store = TestStore.of(kind, tmp);
    for (boolean replace : new boolean[] {false, true}) {
      for (String failAt : replace ? REPLACE : FIRST) {
        String out = (replace ? "r-" : "f-") + failAt.replace(' ', '_');
        if (replace) {
          StagedOutput first = StagedOutput.open(store.uri(out), false, store.conf());
          first.writeText("a.txt", "old");
          first.writeText("_report.json", "{\"run\": 1}");
          first.commit();
        }
        StagedOutput second = StagedOutput.open(store.uri(out), replace, store.conf());
        second.writeText("b.txt", "new");
        second.writeText("_report.json", "{\"run\": 2}");
        List<String> seen = new ArrayList<>();
        second.beforeEachStep(step -> {
          seen.add(step);
          if (replace && kind.equals("local")) {
            assertTrue(store.exists(out), "output missing before step " + step);
          }
          boolean mayBeMarked = step.equals("cleanup")
              || (replace && (step.equals("journal") || step.equals("unmark")));
          assertTrue(mayBeMarked || !store.exists(out + "/_SUCCESS"), "_SUCCESS before " + step);
          if (step.equals(failAt)) {
            throw new IllegalStateException("injected failure at " + failAt);
          }
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, second::commit);
        assertEquals("injected failure at " + failAt, e.getMessage());
        assertTrue(seen.contains(failAt), failAt + " is not a step: " + seen);
        second.close();

        // The next run of any job with this output completes the commit, then proceeds.
        StagedOutput third = StagedOutput.open(store.uri(out), true, store.conf());
        Map<String, String> expected = failAt.equals("journal")
            ? (replace ? Map.of("a.txt", "old", "_report.json", "{\"run\": 1}", "_SUCCESS", "")
                : Map.of())
            : Map.of("b.txt", "new", "_report.json", "{\"run\": 2}", "_SUCCESS", "");
        assertEquals(expected, store.files(out), kind + " " + out);
        assertTrue(third.cleaned().stream().anyMatch(c -> c.contains("interrupted commit"))
            || failAt.equals("journal"), out + ": " + third.cleaned());
        third.abort();
        List<String> left = store.names().stream().filter(n -> n.startsWith("." + out)).toList();
        assertEquals(List.of(), left, "leftovers after a failure at " + out);
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void theLeaseHolderRemovesEveryOtherRunsStagingWhateverItsAge(String kind) throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    StagingOwner me = StagingOwner.current();
    long gone = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 1000;
    FileSystem fs = store.fs();
    List<String> others = List.of(".out._staging-0badcafe-" + gone + "@" + me.host(),
        ".out._replaced-5e5e5e5e-7@elsewhere", ".out._staging-5e5e5e5e");
    String unrelated = ".other._staging-0badcafe-" + gone + "@" + me.host();
    for (String n : others) {
      fs.mkdirs(new org.apache.hadoop.fs.Path(store.uri(n + "/part")));
    }
    fs.mkdirs(new org.apache.hadoop.fs.Path(store.uri(unrelated + "/part")));
    StagedOutput staged = StagedOutput.open(store.uri("out"), false, store.conf());
    for (String n : others) {
      assertFalse(store.exists(n), n);
    }
    assertTrue(store.exists(unrelated), "another output's staging is not this run's business");
    assertTrue(store.exists(staged.staging().getName()), "this run's own staging is in use");
    assertEquals(3, staged.cleaned().size(), staged.cleaned().toString());
    assertTrue(staged.cleaned().stream().anyMatch(c -> c.contains("process " + gone
        + " is gone")), staged.cleaned().toString());
    assertTrue(staged.cleaned().stream().allMatch(c -> c.contains("no longer holds the lease")));
    staged.abort();
  }

  /** Staged objects in three directories (one sorting before {@code _SUCCESS}, one after). */
  private static Map<String, String> stage(StagedOutput staged) {
    Map<String, String> expected = new java.util.TreeMap<>();
    for (String dir : List.of("A", "data", "z")) {
      for (int i = 0; i < 4; i++) {
        staged.writeText(dir + "/part-" + i, dir + i);
        expected.put(dir + "/part-" + i, dir + i);
      }
    }
    return expected;
  }

  /**
   * {@link TestStore#of} s3sim with listings that hide objects younger than {@code lagMs}, and
   * the commit told so ({@link StagedOutput#LISTING_LAG}).
   */
  private TestStore lagging(long lagMs) {
    TestStore store = TestStore.of("s3sim", tmp);
    store.conf().setLong(S3SimFileSystem.LAG, lagMs);
    store.conf().set(StagedOutput.LISTING_LAG, lagMs + "ms");
    return store;
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 300})
  void onAnObjectStoreAReaderNeverSeesSuccessBeforeEveryDataObject(long lagMs) throws Exception {
    TestStore store = lagging(lagMs);
    StagedOutput staged = StagedOutput.open(store.uri("out"), false, store.conf());
    Map<String, String> expected = stage(staged);
    // A sensor polling _SUCCESS between any two object copies of the commit, and one polling
    // it all along in a thread of its own; once it sees it, each reads every data object by
    // name and by a listing of the output (as Spark reads a directory).
    List<String> early = new java.util.concurrent.CopyOnWriteArrayList<>();
    Runnable sensor = () -> {
      if (store.exists("out/_SUCCESS")) {
        java.util.Set<String> listed = store.files("out").keySet();
        expected.keySet().stream().filter(f -> !store.exists("out/" + f) || !listed.contains(f))
            .forEach(f -> early.add("_SUCCESS before " + f));
      }
    };
    ObjectCopies.set((from, to) -> sensor.run());
    java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
    Thread poller = new Thread(() -> {
      while (!seen.get()) {
        sensor.run();
        seen.set(store.exists("out/_SUCCESS"));
      }
    });
    poller.setDaemon(true);
    poller.start();
    try {
      staged.commit();
      poller.join(10_000);
    } finally {
      ObjectCopies.set((from, to) -> { });
    }
    assertTrue(seen.get(), "the sensor never saw _SUCCESS");
    assertEquals(List.of(), early, "_SUCCESS seen before every data object");
    Thread.sleep(lagMs);
    expected.put("_SUCCESS", "");
    assertEquals(expected, store.files("out"));
  }

  @org.junit.jupiter.api.Test
  void underListingLagACommitOfJustWrittenObjectsMovesThemAllAndLeavesNothing()
      throws Exception {
    TestStore store = lagging(300);
    for (boolean replace : new boolean[] {false, true}) {
      String out = replace ? "replaced" : "first";
      if (replace) {
        StagedOutput old = StagedOutput.open(store.uri(out), false, store.conf());
        old.writeText("old/part-0", "old");
        old.commit();
      }
      StagedOutput staged = StagedOutput.open(store.uri(out), replace, store.conf());
      Map<String, String> expected = stage(staged);
      staged.commit();
      Thread.sleep(300);
      expected.put("_SUCCESS", "");
      assertEquals(expected, store.files(out), out);
    }
    assertEquals(List.of("first", "replaced"), store.names(), "staging, backup or lease left");
  }
}
