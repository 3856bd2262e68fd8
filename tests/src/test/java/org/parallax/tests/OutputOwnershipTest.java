package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.parallax.common.CommonOptions;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;
import org.parallax.common.JobRunner;

/**
 * One owner per output, through the CLI: a run of an output another run holds exits 2 naming the
 * holder (or takes over a lease whose heartbeat expired, and says so in its report); two
 * {@code submit/run} processes started together on one {@code --out} give exactly one commit
 * (the other exits 2, or waits with {@code --wait-for-output} and then commits) and one run's
 * complete output; a failed run's {@code <out>._failed/} never holds a {@code _SUCCESS} that a
 * sensor could take for a result.
 */
class OutputOwnershipTest extends SparkTestBase {

  private Path events() throws Exception {
    List<String> lines = new ArrayList<>(List.of("user_id,item_id,ts"));
    for (int i = 0; i < 60; i++) {
      lines.add((i % 7) + "," + (i % 5) + "," + (1_700_000_000L + i * 20_000L));
    }
    return Files.write(tmp.resolve("events.csv"), lines);
  }

  /** The lease a run on another host wrote, with a heartbeat {@code ageSeconds} old. */
  private void leaseOfAnotherHost(Path out, long ageSeconds) throws Exception {
    long beat = System.currentTimeMillis() - ageSeconds * 1000;
    Files.writeString(out.resolveSibling("." + out.getFileName() + "._lease"), String.join("\n",
        "run=0badcafe-4242@airflow-worker-3", "host=airflow-worker-3", "pid=4242",
        "since=" + (beat - 5_000), "heartbeat=" + beat, ""));
  }

  @Test
  void aRunOfAnOutputHeldByAnotherRunExits2NamingItAndAnExpiredOneIsTakenOver()
      throws Exception {
    Path out = tmp.resolve("graph");
    leaseOfAnotherHost(out, 5);
    String[] args = {"recsys", "graph", "--interactions", events().toString(), "--train-windows",
        "2", "--out", out.toString()};
    Run busy = cli(args);
    BadInputMatrixTest.assertFailure(busy, 2, "parallax: busy: output ", "graph is being "
        + "written by run 0badcafe-4242@airflow-worker-3 on host airflow-worker-3 (pid 4242) "
        + "since ", "--wait-for-output");
    assertFalse(Files.exists(out));

    leaseOfAnotherHost(out, 11 * 60);
    Run taken = cli(args);
    assertEquals(0, taken.status(), taken.err());
    String cleaned = report(out).get("cleaned").toString();
    assertTrue(cleaned.contains("took over the lease of ") && cleaned.contains("airflow-worker-3")
        && cleaned.contains("heartbeat is"), cleaned);
    BadInputMatrixTest.assertNoStaging(tmp);
  }

  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."));

  /** {@code submit/run datagen retrieval} with {@code seed} into {@code out}, started now. */
  private Process submitRun(String out, int seed, String... more) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("submit/run").toString(), "datagen",
        "retrieval", "--scale", "2000", "--seed", Integer.toString(seed), "--out", out));
    cmd.addAll(List.of(more));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile())
        .redirectErrorStream(true).redirectOutput(tmp.resolve("run-" + seed + ".log").toFile());
    pb.environment().put("PARALLAX_DRIVER_MEMORY", "1g");
    pb.environment().put("TMPDIR", tmp.toString());
    return pb.start();
  }

  private String finished(Process p, int seed) throws Exception {
    assertTrue(p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES), "run " + seed);
    return Files.readString(tmp.resolve("run-" + seed + ".log"));
  }

  /** A datagen output's content: its rows, sorted, and its truth file. */
  private List<String> content(Path out) throws Exception {
    List<String> rows = new ArrayList<>();
    for (String part : List.of("corpus", "qa")) {
      spark.read().json(out.resolve(part).toString()).toJSON().collectAsList().stream().sorted()
          .forEach(rows::add);
    }
    rows.add(Files.readString(out.resolve("truth.json")));
    return rows;
  }

  @Test
  void twoSubmitRunsOnOneNewOutputGiveOneCommitAndOneRunsCompleteOutput() throws Exception {
    Path out = tmp.resolve("together");
    Process a = submitRun(out.toString(), 1);
    Process b = submitRun(out.toString(), 2);
    String logA = finished(a, 1);
    String logB = finished(b, 2);
    boolean aWon = a.exitValue() == 0;
    assertEquals(1, (aWon ? 1 : 0) + (b.exitValue() == 0 ? 1 : 0), logA + "\n" + logB);
    Process loser = aWon ? b : a;
    String lost = aWon ? logB : logA;
    assertEquals(2, loser.exitValue(), lost);
    assertTrue(lost.contains("parallax: busy: output ") && lost.contains(" is being written by ")
        && lost.contains(" on host ") && lost.contains("(pid ") && lost.contains(" since "),
        lost);
    assertFalse(Files.exists(tmp.resolve("together._failed")), "the busy run kept a failure");
    int winner = aWon ? 1 : 2;
    assertEquals(winner, report(out).get("config").get("common").get("seed").asInt());
    Path alone = tmp.resolve("alone-" + winner);
    Run reference = cli("datagen", "retrieval", "--scale", "2000", "--seed",
        Integer.toString(winner), "--out", alone.toString());
    assertEquals(0, reference.status(), reference.err());
    assertEquals(content(alone), content(out), "not the winning run's complete output");

    // Both replace it, each waiting for the other: both commit, one after the other.
    Process c = submitRun(out.toString(), 3, "--overwrite", "--wait-for-output", "600");
    Process d = submitRun(out.toString(), 4, "--overwrite", "--wait-for-output", "600");
    String logC = finished(c, 3);
    String logD = finished(d, 4);
    assertEquals(0, c.exitValue(), logC);
    assertEquals(0, d.exitValue(), logD);
    int last = report(out).get("config").get("common").get("seed").asInt();
    assertTrue(last == 3 || last == 4, "seed " + last);
    Path lastAlone = tmp.resolve("alone-" + last);
    Run lastReference = cli("datagen", "retrieval", "--scale", "2000", "--seed",
        Integer.toString(last), "--out", lastAlone.toString());
    assertEquals(0, lastReference.status(), lastReference.err());
    assertEquals(content(lastAlone), content(out), "not the last run's complete output");
    BadInputMatrixTest.assertNoStaging(tmp);
  }

  /** A job whose output is created by someone else while it runs. */
  private static final class Overtaken implements Job<CommonOptions> {
    @Override
    public String name() {
      return "test overtaken";
    }

    @Override
    public List<String> inputs(CommonOptions options) {
      return List.of();
    }

    @Override
    public void run(JobContext ctx, CommonOptions options) {
      ctx.spark().range(5).write().parquet(ctx.out().path("numbers"));
      try {
        Files.createDirectories(Path.of(ctx.out().target().toUri()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  @Test
  void aFailedRunKeepsWhatItStagedWithoutAnySuccessMarker() throws Exception {
    Path out = tmp.resolve("o");
    boolean failed = false;
    try {
      JobRunner.run(spark, new Overtaken(), new CommonOptions(out.toString(), false, 1, 0.01));
    } catch (JobFailedException e) {
      failed = e.getMessage().contains("appeared while the job ran");
    }
    assertTrue(failed, "the commit was refused");
    Path kept = BadInputMatrixTest.failed(out);
    assertTrue(Files.exists(kept.resolve("_error.log")) && Files.isDirectory(kept.resolve(
        "numbers")), "what the run staged is kept");
    try (Stream<Path> s = Files.walk(kept)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().equals("_SUCCESS"))
          .toList(), "a failed run's output looks complete to a sensor");
    }
    BadInputMatrixTest.assertNoStaging(tmp);
  }
}
