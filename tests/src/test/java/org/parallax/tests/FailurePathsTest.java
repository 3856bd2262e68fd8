package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Failures that escape row quarantine: exceptions from Spark itself, and bad usage, which must be
 * told before any Spark work, naming the option and its value.
 */
class FailurePathsTest extends SparkTestBase {

  @Test
  void anExceptionFromSparkGivesTheRootCauseOnOneLineAndKeepsTheFailedRun() throws Exception {
    // Not Parquet at all: Spark's reader fails inside a Spark job with a SparkException.
    Path in = Files.createDirectories(tmp.resolve("events"));
    Files.write(in.resolve("part-0.parquet"), "this is not parquet".repeat(10).getBytes());
    Path out = tmp.resolve("graph");
    Run run = cli("recsys", "graph", "--interactions", in.toString(), "--out", out.toString());
    Path failed = BadInputMatrixTest.failed(out);
    Path log = failed.resolve("_error.log");
    BadInputMatrixTest.assertFailure(run, 1, "recsys graph failed:", "full trace in " + log);
    assertFalse(run.err().contains("SparkException: Job aborted"), run.err());
    JsonNode report = report(failed);
    assertEquals("failed", report.get("status").asText());
    assertTrue(report.get("error").asText().contains("not a Parquet file"), report.toString());
    assertTrue(Files.readString(log).contains("\tat "), "the full trace is in the log");
    assertFalse(Files.exists(out));
    BadInputMatrixTest.assertNoStaging(tmp);
  }

  @Test
  void usageErrorsNameTheOptionAndItsValueAndExit2BeforeAnyWork() throws Exception {
    Path csv = Files.write(tmp.resolve("e.csv"), List.of("user_id,item_id,ts", "1,2,3"));
    Path out = tmp.resolve("o");
    check(cli("recsys", "graph", "--interactions", csv.toString(), "--format", "xml", "--out",
        out.toString()), "--format must be parquet, jsonl or csv, got 'xml'");
    check(cli("retrieval", "serve", "--index", tmp.toString(), "--threads", "0"),
        "--threads must be at least 1, got 0");
    check(cli("recsys", "train", "--graph", tmp.toString(), "--features", tmp.toString(),
        "--dim", "8", "--epochs", "0", "--out", out.toString()),
        "--epochs must be at least 1, got 0");
    check(cli("recsys", "pipeline", "--interactions", csv.toString(), "--fanout", "-3", "--out",
        out.toString()), "--fanout must be at least 1, got -3");
    check(cli("avinfo", "stats", "--frames", csv.toString(), "--confidence", "1.5", "--out",
        out.toString()), "--confidence must lie strictly between 0.0 and 1.0, got 1.5");
    check(cli("avinfo", "stats", "--frames", csv.toString(), "--null-replicates", "-1", "--out",
        out.toString()), "--null-replicates must be at least 0, got -1");
    check(cli("avinfo", "stats", "--frames", csv.toString(), "--alpha", "1", "--out",
        out.toString()), "--alpha must lie strictly between 0.0 and 1.0, got 1.0");
    check(cli("avinfo", "ksg", "--features", csv.toString(), "--ksg-algorithm", "3", "--out",
        out.toString()), "--ksg-algorithm must be 1 or 2 (Kraskov et al. 2004), got 3");
    check(cli("avinfo", "ksg", "--features", csv.toString(), "--theiler", "-1", "--out",
        out.toString()), "--theiler must be at least 0, got -1");
    check(cli("recsys", "graph", "--interactions", csv.toString(), "--max-line-bytes", "0",
        "--out", out.toString()), "--max-line-bytes must be at least 1, got 0");
    check(cli("recsys", "graph", "--interactions", csv.toString(), "--wait-for-output", "-1",
        "--out", out.toString()), "--wait-for-output must be at least 0, got -1");
  }

  @Test
  void trainRefusesOptionsItsFeaturesInputWasNotComputedWith() throws Exception {
    List<String> lines = new java.util.ArrayList<>(List.of("user_id,item_id,ts"));
    for (int i = 0; i < 400; i++) {
      lines.add((i % 20) + "," + (i % 13) + "," + (1_700_000_000L + i * 20_000L));
    }
    Path csv = Files.write(tmp.resolve("events.csv"), lines);
    Path graph = tmp.resolve("g");
    assertEquals(0, cli("recsys", "graph", "--interactions", csv.toString(), "--train-windows",
        "2", "--out", graph.toString()).status());
    Path features = tmp.resolve("f");
    assertEquals(0, cli("recsys", "features", "--graph", graph.toString(), "--fanout", "8",
        "--half-life-days", "14", "--out", features.toString()).status());
    Run halfLife = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "8", "--epochs", "1", "--out",
        tmp.resolve("m1").toString());
    BadInputMatrixTest.assertFailure(halfLife, 1, "--half-life-days 30.0 disagrees",
        "computed with; use --half-life-days 14.0");
    Run fanout = cli("recsys", "train", "--graph", graph.toString(), "--features",
        features.toString(), "--fanout", "16", "--half-life-days", "14", "--epochs", "1",
        "--out", tmp.resolve("m2").toString());
    BadInputMatrixTest.assertFailure(fanout, 1, "--fanout 16 exceeds the fanout 8");
  }

  /** Exit 2, the one line names the option and value, and nothing was staged or written. */
  private void check(Run run, String message) throws Exception {
    BadInputMatrixTest.assertFailure(run, 2, "bad usage: " + message);
    try (Stream<Path> s = Files.list(tmp)) {
      List<String> written = s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("o") || n.startsWith(".o")).toList();
      assertEquals(List.of(), written, "bad usage did work: " + written);
    }
  }
}
