package org.parallax.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs of one output in separate processes ({@link CommitProcess}): started together, killed
 * with SIGKILL at every step of a commit (then recovered by two processes started together), or
 * holding the output past the lease expiry on another
 * host; on the local file system and on {@link S3SimFileSystem}.
 */
class ConcurrentRunsTest {
  @TempDir Path tmp;

  private static Process child(List<String> props, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx96m",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    cmd.addAll(props);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        CommitProcess.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  private static Map<String, String> output(String name, int round) {
    Map<String, String> files = new TreeMap<>();
    List<String> contents = CommitProcess.contents(name, round);
    for (int i = 0; i < contents.size(); i++) {
      files.put("part-" + i, contents.get(i));
    }
    files.put("_SUCCESS", "");
    return files;
  }

  @ParameterizedTest
  @CsvSource({"local, false, 0, 20", "local, true, 0, 20", "s3sim, false, 0, 20",
      "s3sim, true, 0, 20", "local, true, 30000, 3", "s3sim, true, 30000, 3"})
  void twoRunsStartedTogetherNeverBothCommitAndLeaveOneCompleteOutput(String kind,
      boolean replace, long waitMillis, int rounds) throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    Path control = Files.createDirectories(tmp.resolve("control"));
    for (int r = 0; r < rounds && replace; r++) {
      StagedOutput old = StagedOutput.open(store.uri("race-" + r), false, store.conf());
      old.writeText("old.txt", "old");
      old.commit();
    }
    String[] common = {kind, tmp.toString(), control.toString()};
    List<Process> runs = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      runs.add(child(List.of(), "race", common[0], common[1], common[2], name,
          Integer.toString(rounds), Boolean.toString(replace), Long.toString(waitMillis)));
    }
    for (int r = 0; r < rounds; r++) {
      Files.createFile(control.resolve("go-" + r));
      String a = result(control.resolve(r + "-a"), runs);
      String b = result(control.resolve(r + "-b"), runs);
      String where = kind + (replace ? " replace" : " first write") + " round " + r + ": a " + a
          + "; b " + b;
      Map<String, String> files = store.files("race-" + r);
      if (waitMillis == 0) {
        assertEquals(1, (a.equals("committed") ? 1 : 0) + (b.equals("committed") ? 1 : 0), where);
        String loser = a.equals("committed") ? b : a;
        assertTrue(loser.startsWith("busy output ") && loser.contains("pid ")
            && loser.contains("on host ") && loser.contains(" since "), where);
        assertEquals(output(a.equals("committed") ? "a" : "b", r), files, where);
      } else {
        assertEquals("committed", a, where);
        assertEquals("committed", b, where);
        assertTrue(files.equals(output("a", r)) || files.equals(output("b", r)), where);
      }
      String prefix = "race-" + r;
      assertEquals(List.of(), store.names().stream().filter(n -> n.startsWith("." + prefix + ".")
          || n.startsWith(prefix + ".")).toList(), "leftovers " + where);
    }
    for (Process p : runs) {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
  }

  private static String result(Path file, List<Process> runs) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(file)) {
      for (Process p : runs) {
        if (!p.isAlive() && p.exitValue() != 0) {
          throw new AssertionError("a run died: " + new String(p.getInputStream().readAllBytes()));
        }
      }
      assertTrue(System.nanoTime() < end, "no outcome in " + file);
      Thread.sleep(2);
    }
    return Files.readString(file);
  }

  private static final List<String> STEPS = List.of("f:journal", "f:publish", "f:mark",
      "f:cleanup", "r:journal", "r:unmark", "r:clear a.txt", "r:clear _report.json",
      "r:journal-install", "r:install _report.json", "r:install b.txt", "r:install data",
      "r:mark", "r:cleanup");

  /** The output before the killed run replaced it, and the killed run's output. */
  private static final Map<String, String> OLD = Map.of("a.txt", "old", "_report.json",
      "{\"run\": 1}", "_SUCCESS", "");
  private static final Map<String, String> FRESH = Map.of("b.txt", "new", "_report.json",
      "{\"run\": 2}", "data/part-0", "new 0", "data/part-1", "new 1", "_SUCCESS", "");

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void killedAtEveryStepOfACommitThenTwoRecoveriesTogetherGiveTheOldOrTheNewOutput(String kind)
      throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    List<String> tokens = new ArrayList<>(STEPS);
    if (kind.equals("s3sim")) {
      tokens.add("c:publish");
    }
    for (String t : tokens) {
      if (t.startsWith("r:")) {
        StagedOutput first = StagedOutput.open(store.uri(CommitProcess.outOf(t)), false,
            store.conf());
        OLD.forEach((f, text) -> {
          if (!f.equals("_SUCCESS")) {
            first.writeText(f, text);
          }
        });
        first.commit();
      }
    }
    List<String> outs = tokens.stream().map(CommitProcess::outOf).toList();
    Path control = Files.createDirectories(tmp.resolve("control"));
    // Started now, so that their JVMs start while the run to kill does; they wait for go-i.
    List<Process> recoveries = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      List<String> recover = new ArrayList<>(List.of("recover", kind, tmp.toString(),
          control.toString(), name));
      recover.addAll(outs);
      recoveries.add(child(List.of(), recover.toArray(String[]::new)));
    }
    try {
      killAndRecover(store, kind, tokens, outs, control, recoveries);
    } finally {
      recoveries.forEach(Process::destroyForcibly);
    }
  }

  private void killAndRecover(TestStore store, String kind, List<String> tokens,
      List<String> outs, Path control, List<Process> recoveries) throws Exception {
    List<String> args = new ArrayList<>(List.of("stop", kind, tmp.toString(), "true"));
    args.addAll(tokens);
    Process killed = child(List.of(), args.toArray(String[]::new));
    BufferedReader lines = new BufferedReader(new InputStreamReader(killed.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    while ((line = lines.readLine()) != null && !line.equals("STOPPED")) {
      System.out.println("[child] " + line);
    }
    assertEquals("STOPPED", line);
    killed.destroyForcibly();
    assertTrue(killed.waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, killed.exitValue(), "killed with SIGKILL");

    for (int i = 0; i < tokens.size(); i++) {
      // Two recovering processes open the output at the same moment.
      Files.createFile(control.resolve("go-" + i));
      String t = tokens.get(i);
      String out = outs.get(i);
      for (String name : List.of("a", "b")) {
        assertEquals("ok", result(control.resolve(i + "-" + name), recoveries),
            kind + " recovery " + name + " after a kill at " + t);
      }
      Map<String, String> files = store.files(out);
      Map<String, String> expected = t.equals("f:journal") ? Map.of()
          : t.equals("r:journal") ? OLD : FRESH;
      assertEquals(expected, files, kind + " killed at " + t);
      assertEquals(List.of(), store.names().stream().filter(n -> n.startsWith("." + out + ".")
          || n.startsWith(out + ".")).toList(), kind + " leftovers after a kill at " + t);
    }
    for (Process p : recoveries) {
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "s3sim"})
  void aRunLongerThanTheExpiryOnAnotherHostKeepsItsOutput(String kind) throws Exception {
    TestStore store = TestStore.of(kind, tmp);
    Path control = Files.createDirectories(tmp.resolve("control"));
    Process holder = child(List.of("-Dparallax.host=elsewhere",
        "-D" + OutputLease.EXPIRY + "=1s", "-D" + OutputLease.HEARTBEAT + "=100ms"),
        "hold", kind, tmp.toString(), control.toString());
    BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(),
        StandardCharsets.UTF_8));
    String holding = lines.readLine();
    assertTrue(holding != null && holding.startsWith("HOLDING "), holding);
    String staging = holding.substring("HOLDING ".length());
    Configuration oneSecond = new Configuration(store.conf());
    oneSecond.set(OutputLease.EXPIRY, "1s");
    long first = System.nanoTime();
    long last = first;
    while (last - first < TimeUnit.MILLISECONDS.toNanos(2500)) {
      OutputBusyException e = assertThrows(OutputBusyException.class,
          () -> StagedOutput.open(store.uri("held"), true, oneSecond));
      assertTrue(e.getMessage().contains("on host elsewhere"), e.getMessage());
      assertTrue(store.exists(staging), "the holder's staging was removed");
      last = System.nanoTime();
      Thread.sleep(250);
    }
    Files.createFile(control.resolve("commit"));
    assertEquals("COMMITTED", lines.readLine());
    assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, holder.exitValue());
    assertEquals(Map.of("a.txt", "written by elsewhere", "b.txt", "written after the expiry",
        "_SUCCESS", ""), store.files("held"));
  }
}
