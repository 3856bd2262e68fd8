package org.parallax.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;

/**
 * A run that writes an output through {@link StagedOutput}, as a job does, in a JVM of its own:
 * what the concurrency and kill tests start as processes (a whole Spark job per round would
 * take a minute). Modes:
 * <ul>
 *   <li>{@code race KIND TMP CONTROL NAME ROUNDS OVERWRITE WAIT_MS}: for each round r, waits for
 *       {@code CONTROL/go-r}, then tries to write {@code race-r} (five files naming NAME and r);
 *       when it holds the lease and WAIT_MS is 0, it commits only once the other process
 *       reported, so both runs overlap; writes its outcome to {@code CONTROL/r-NAME}.
 *   <li>{@code stop KIND TMP OVERWRITE TOKEN...}: one thread per TOKEN ({@code f:STEP} or
 *       {@code r:STEP}) writes its own output and stops before that step of its commit
 *       ({@code c:publish}: inside the rename, after one object was copied); prints
 *       {@code STOPPED} once all are stopped, then waits to be killed.
 *   <li>{@code hold KIND TMP CONTROL}: holds output {@code held} (heartbeat per the
 *       configuration) until {@code CONTROL/commit} appears, then commits.
 *   <li>{@code recover KIND TMP CONTROL NAME OUT...}: for each output i, waits for
 *       {@code CONTROL/go-i}, then opens it as a run with {@code --overwrite} would (taking its
 *       lease, waiting up to 30 s, completing an interrupted commit) and aborts; writes
 *       {@code ok} or the failure to {@code CONTROL/i-NAME}.
 * </ul>
 */
public final class CommitProcess {
  private CommitProcess() {}

  public static void main(String[] args) throws Exception {
    TestStore store = TestStore.of(args[1], Path.of(args[2]));
    Configuration conf = store.conf();
    conf.set(OutputLease.EXPIRY, System.getProperty(OutputLease.EXPIRY, "10m"));
    conf.set(OutputLease.HEARTBEAT, System.getProperty(OutputLease.HEARTBEAT, "30s"));
    switch (args[0]) {
      case "race" -> race(store, conf, Path.of(args[3]), args[4], Integer.parseInt(args[5]),
          Boolean.parseBoolean(args[6]), Long.parseLong(args[7]));
      case "stop" -> stop(store, conf, Boolean.parseBoolean(args[3]),
          List.of(args).subList(4, args.length));
      case "hold" -> hold(store, conf, Path.of(args[3]));
      case "recover" -> recover(store, conf, Path.of(args[3]), args[4],
          List.of(args).subList(5, args.length));
      default -> throw new IllegalArgumentException("mode " + args[0]);
    }
    System.exit(0);
  }

  static List<String> contents(String name, int round) {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      files.add(name + " round " + round + " part " + i);
    }
    return files;
  }

  private static void race(TestStore store, Configuration conf, Path control, String name,
      int rounds, boolean overwrite, long waitMillis) throws Exception {
    for (int r = 0; r < rounds; r++) {
      await(control.resolve("go-" + r), 60_000);
      String outcome;
      try {
        StagedOutput out = StagedOutput.open(store.uri("race-" + r), overwrite, waitMillis, conf);
        List<String> files = contents(name, r);
        for (int i = 0; i < files.size(); i++) {
          out.writeText("part-" + i, files.get(i));
        }
        if (waitMillis == 0) {
          await(control.resolve(r + "-" + other(name)), 5_000);
        }
        out.commit();
        outcome = "committed";
      } catch (OutputBusyException e) {
        outcome = "busy " + e.getMessage();
      } catch (JobFailedException e) {
        outcome = "failed " + e.getMessage();
      }
      report(control.resolve(r + "-" + name), outcome);
    }
  }

  private static void recover(TestStore store, Configuration conf, Path control, String name,
      List<String> outs) throws Exception {
    for (int i = 0; i < outs.size(); i++) {
      await(control.resolve("go-" + i), 60_000);
      String outcome = "ok";
      try {
        StagedOutput.open(store.uri(outs.get(i)), true, 30_000, conf).abort();
      } catch (RuntimeException e) {
        outcome = "failed " + JobRunner.oneLine(e);
      }
      report(control.resolve(i + "-" + name), outcome);
    }
  }

  private static String other(String name) {
    return name.equals("a") ? "b" : "a";
  }

  private static void stop(TestStore store, Configuration conf, boolean overwrite,
      List<String> steps) throws Exception {
    CountDownLatch stopped = new CountDownLatch(steps.size());
    for (String token : steps) {
      String out = outOf(token);
      String step = token.substring(token.indexOf(':') + 1);
      if (token.startsWith("c:")) {
        // Stopped inside the rename: after the first object of the output was copied.
        String into = "/" + out + "/";
        int[] copies = {0};
        ObjectCopies.set((from, to) -> {
          if (to.contains(into) && ++copies[0] == 2) {
            stopped.countDown();
            park();
          }
        });
      }
      Thread t = new Thread(() -> {
        StagedOutput staged = StagedOutput.open(store.uri(out), overwrite, conf);
        staged.writeText("b.txt", "new");
        staged.writeText("_report.json", "{\"run\": 2}");
        staged.writeText("data/part-0", "new 0");
        staged.writeText("data/part-1", "new 1");
        staged.beforeEachStep(s -> {
          if (s.equals(step) && !token.startsWith("c:")) {
            stopped.countDown();
            park();
          }
        });
        staged.commit();
      });
      t.setDaemon(true);
      t.start();
    }
    stopped.await();
    System.out.println("STOPPED");
    System.out.flush();
    park();
  }

  /** The output a stop token ({@code f:STEP}, {@code r:STEP}, {@code c:STEP}) writes. */
  static String outOf(String token) {
    return "k-" + token.replace(':', '_').replace(' ', '_');
  }

  private static void hold(TestStore store, Configuration conf, Path control) throws Exception {
    StagedOutput out = StagedOutput.open(store.uri("held"), false, conf);
    out.writeText("a.txt", "written by " + StagingOwner.current().host());
    System.out.println("HOLDING " + out.staging().getName());
    System.out.flush();
    await(control.resolve("commit"), 60_000);
    out.writeText("b.txt", "written after the expiry");
    out.commit();
    System.out.println("COMMITTED");
  }

  private static void park() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(Path file, long maxMillis) throws InterruptedException {
    long end = System.currentTimeMillis() + maxMillis;
    while (!Files.exists(file) && System.currentTimeMillis() < end) {
      Thread.sleep(2);
    }
  }

  private static void report(Path file, String text) throws Exception {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
