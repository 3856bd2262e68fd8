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
 * holder (or takes over a lease whose heartbeat expired, and says so in its report); a failed
 * run's {@code <out>._failed/} never holds a {@code _SUCCESS} that a sensor could take for a
 * result.
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

  /** A job whose output is created by someone else while it runs. */
  private static final class Overtaken implements Job<CommonOptions> {
    @Override
    public String name() {
      return "test overtaken";
    }

    @Override
    public CommonOptions common(CommonOptions options) {
      return options;
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
