package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bad-input matrix: each job (one per product area that reads user files) against each kind of
 * bad input, made by the test. Every cell checks the exit status, the one line a person reads,
 * the failed report or the quarantine counts, that the input is byte-for-byte unchanged, and that
 * no staging directory is left behind. The kill cell is in {@link KillRecoveryTest}.
 */
class BadInputMatrixTest extends SparkTestBase {

  /** A job under test: how to call it on an input, and lines of each kind for its input. */
  private record JobSpec(String name, List<String> command, String inputOption,
      IntFunction<String> good, String wrongHeader, List<String> wrongValues,
      List<String> overflow, Map<String, Long> overflowReasons, List<String> duplicates,
      String duplicateCount) {}

  private static final List<JobSpec> JOBS = List.of(
      new JobSpec("recsys graph", List.of("recsys", "graph"), "--interactions",
          i -> String.format("{\"user_id\": \"%d\", \"item_id\": %d, \"ts\": \"2024-03-%02dT10:00:00Z\"}",
              i % 11, i % 17, 1 + i % 28),
          "{\"uid\": 1, \"iid\": 2, \"when\": \"2024-01-01\"}",
          // Ids are any text, so the wrong value is an empty one.
          List.of("{\"user_id\": \"\", \"item_id\": 1, \"ts\": \"2024-03-01T10:00:00Z\"}"),
          // Past the year 9999 as epoch ms; and a huge user id (an id, kept) whose ts, 10^14 ms,
          // is the year 5138.
          List.of("{\"user_id\": 1, \"item_id\": 2, \"ts\": 99999999999999999999}",
              "{\"user_id\": 99999999999999999999, \"item_id\": 2, \"ts\": 99999999999999}"),
          Map.of("bad_ts", 1L, "ts_out_of_range", 1L),
          List.of("{\"user_id\": 5, \"item_id\": 5, \"ts\": \"2024-03-05T10:00:00Z\"}",
              "{\"user_id\": 5, \"item_id\": 5, \"ts\": \"2024-03-05T10:00:00Z\"}"),
          "duplicate_events_dropped"),
      new JobSpec("avinfo stats", List.of("avinfo", "stats", "--bootstrap", "0"), "--frames",
          i -> String.format("{\"utterance_id\": \"u%03d\", \"frame\": %d, \"speaker_id\": \"s%d\", "
              + "\"audio_unit\": %d, \"visual_unit\": %d, \"text_unit\": %d}",
              i / 20, i % 20, i % 3, i % 5, i % 3, i % 4),
          "{\"utt\": \"u1\", \"f\": 1, \"a\": 2}",
          List.of("{\"utterance_id\": \"u1\", \"frame\": \"first\", \"audio_unit\": 1}"),
          List.of("{\"utterance_id\": \"u900\", \"frame\": 1, \"audio_unit\": 3000000000}",
              "{\"utterance_id\": \"u900\", \"frame\": 1e400, \"audio_unit\": 1}"),
          Map.of("bad_audio_unit", 1L, "bad_frame", 1L), null, null),
      new JobSpec("retrieval index", List.of("retrieval", "index", "--shards", "2"), "--corpus",
          i -> String.format("{\"id\": \"%05d\", \"contents\": \"\\\"Title %d\\\"\\nword%d text\"}",
              i, i, i),
          "{\"doc\": \"1\", \"body\": \"x\"}",
          List.of("{\"id\": \"99999\", \"contents\": \"   \"}"),
          null, null,
          List.of("{\"id\": \"00007\", \"contents\": \"\\\"Again\\\"\\nsame id\"}"),
          "duplicate_ids_quarantined"));

  @TestFactory
  Stream<DynamicTest> everyJobAgainstEveryBadInput() {
    List<DynamicTest> cells = new ArrayList<>();
    for (JobSpec job : JOBS) {
      cells.add(cell(job, "missing path", () -> missingPath(job)));
      cells.add(cell(job, "empty file", () -> emptyFile(job)));
      cells.add(cell(job, "wrong header", () -> wrongHeader(job)));
      cells.add(cell(job, "wrong types above tolerance", () -> wrongTypes(job)));
      cells.add(cell(job, "garbage lines", () -> garbageLines(job)));
      cells.add(cell(job, "non-UTF-8 bytes", () -> nonUtf8(job)));
      cells.add(cell(job, "huge line", () -> hugeLine(job)));
      if (job.overflow() != null) {
        cells.add(cell(job, "overflowing numbers", () -> overflow(job)));
      }
      if (job.duplicates() != null) {
        cells.add(cell(job, "duplicate ids", () -> duplicates(job)));
      }
      cells.add(cell(job, "output equal to or inside the input", () -> outputOverInput(job)));
      cells.add(cell(job, "existing output", () -> existingOutput(job)));
    }
    return cells.stream();
  }

  private interface Cell {
    void run() throws Exception;
  }

  private DynamicTest cell(JobSpec job, String kind, Cell body) {
    return DynamicTest.dynamicTest(job.name() + ": " + kind, () -> {
      System.out.println("[bad-input matrix] " + job.name() + ": " + kind);
      body.run();
    });
  }

  // ---- the cells ----

  private void missingPath(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "missing");
    Path in = dir.resolve("nowhere.jsonl");
    Path out = dir.resolve("out");
    Run run = run(job, in, out);
    assertFailure(run, 1, "does not exist", in.toString());
    assertEquals("failed", report(failed(out)).get("status").asText());
    assertNoStaging(dir);
  }

  private void emptyFile(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "empty");
    Path in = Files.write(dir.resolve("empty.jsonl"), new byte[0]);
    Path out = dir.resolve("out");
    String before = checksum(in);
    Run run = run(job, in, out);
    assertFailure(run, 1, "empty.jsonl");
    assertTrue(run.err().contains("has no rows") || run.err().contains("required column"),
        run.err());
    assertFalse(Files.exists(out));
    assertEquals(before, checksum(in));
    assertNoStaging(dir);
  }

  private void wrongHeader(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "header");
    Path in = write(dir, Stream.generate(job::wrongHeader).limit(20).toList());
    Path out = dir.resolve("out");
    String before = checksum(in);
    Run run = run(job, in, out);
    assertFailure(run, 1, "required column", "input.jsonl");
    assertEquals(before, checksum(in));
    assertNoStaging(dir);
  }

  private void wrongTypes(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "types");
    List<String> lines = goodLines(job, 200);
    for (int i = 0; i < 10; i++) {
      lines.add(i * 20, job.wrongValues().get(0));
    }
    Path in = write(dir, lines);
    Path out = dir.resolve("out");
    String before = checksum(in);
    Run run = run(job, in, out);
    Path failed = failed(out);
    // The message points to where the rows really are: the failed run's directory.
    assertFailure(run, 1, "are malformed", failed + "/_quarantine/");
    JsonNode input = report(failed).get("inputs").get(0);
    assertEquals(10, input.get("quarantined").asLong(), input.toString());
    String quarantine = input.get("quarantinePath").asText();
    assertTrue(quarantine.contains(failed.getFileName().toString()), quarantine);
    assertTrue(Files.isDirectory(Path.of(quarantine.replaceFirst("^file:", ""))), quarantine);
    assertFalse(Files.exists(out));
    assertEquals(before, checksum(in));
    assertNoStaging(dir);
  }

  private void garbageLines(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "garbage");
    List<String> lines = goodLines(job, 200);
    lines.add(50, "@@@ not json at all");
    lines.add(120, "{\"truncated\": ");
    JsonNode input = accepted(job, dir, lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8))
        .toList(), "--max-bad-fraction", "0.05");
    assertEquals(202, input.get("rows").asLong());
    assertEquals(2, input.get("reasons").get("malformed").asLong(), input.toString());
  }

  private void nonUtf8(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "utf8");
    List<byte[]> lines = new ArrayList<>();
    goodLines(job, 200).forEach(l -> lines.add(l.getBytes(StandardCharsets.UTF_8)));
    lines.add(30, new byte[] {'{', '"', 'x', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', ':'});
    lines.add(90, new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 1, 2, (byte) 0x80});
    JsonNode input = accepted(job, dir, lines, "--max-bad-fraction", "0.05");
    assertEquals(202, input.get("rows").asLong());
    assertEquals(2, input.get("quarantined").asLong(), input.toString());
  }

  private void hugeLine(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "huge");
    List<String> lines = goodLines(job, 200);
    String good = lines.get(3);
    // Valid JSON, but 100 KB: over the limit, it is set aside without being parsed.
    lines.add(60, good.substring(0, good.length() - 1) + ", \"pad\": \"" + "x".repeat(100_000)
        + "\"}");
    JsonNode input = accepted(job, dir, lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8))
        .toList(), "--max-bad-fraction", "0.05", "--max-line-bytes", "4096");
    assertEquals(1, input.get("reasons").get("line_too_long").asLong(), input.toString());
  }

  private void overflow(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "overflow");
    List<String> lines = goodLines(job, 200);
    lines.addAll(30, job.overflow());
    JsonNode input = accepted(job, dir, lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8))
        .toList(), "--max-bad-fraction", "0.05");
    job.overflowReasons().forEach((code, n) ->
        assertEquals(n, input.get("reasons").path(code).asLong(), code + " in " + input));
  }

  private void duplicates(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "dups");
    List<String> lines = goodLines(job, 200);
    lines.addAll(10, job.duplicates());
    Path in = write(dir, lines);
    Path out = dir.resolve("out");
    String before = checksum(in);
    Run run = run(job, in, out);
    assertEquals(0, run.status(), run.err());
    assertEquals(1, report(out).get("counts").get(job.duplicateCount()).asLong(),
        report(out).get("counts").toString());
    assertEquals(before, checksum(in));
    assertNoStaging(dir);
  }

  private void outputOverInput(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "overlap");
    Path inDir = Files.createDirectories(dir.resolve("events"));
    write(inDir, goodLines(job, 50));
    String before = checksum(inDir);
    for (List<String> extra : List.of(List.<String>of(), List.of("--overwrite"))) {
      for (Path out : List.of(inDir, inDir.resolve("graph"))) {
        Run run = run(job, inDir, out, extra.toArray(String[]::new));
        assertFailure(run, 2, "--out " + out, inDir.toString());
        assertEquals(before, checksum(inDir), "the input was modified");
      }
    }
    assertNoStaging(dir);
    assertNoStaging(inDir);
  }

  private void existingOutput(JobSpec job) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "existing");
    Path in = write(dir, goodLines(job, 100));
    Path out = dir.resolve("out");
    String input = checksum(in);
    assertEquals(0, run(job, in, out).status());
    String first = checksum(out);
    Run refused = run(job, in, out);
    assertFailure(refused, 1, "already exists", "--overwrite");
    assertEquals(first, checksum(out), "a refused run left the output as it was");
    Run again = run(job, in, out, "--overwrite", "--seed", "7");
    assertEquals(0, again.status(), again.err());
    assertEquals("7", report(out).get("config").get("common").get("seed").asText());
    assertEquals(input, checksum(in));
    assertNoStaging(dir);
  }

  // ---- helpers ----

  private static List<String> goodLines(JobSpec job, int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(job.good().apply(i));
    }
    return lines;
  }

  private static Path write(Path dir, List<String> lines) throws IOException {
    return Files.write(dir.resolve("input.jsonl"), lines, StandardCharsets.UTF_8);
  }

  /** Runs the job with a tolerance that accepts the bad lines; returns the input's counts. */
  private JsonNode accepted(JobSpec job, Path dir, List<byte[]> lines, String... extra)
      throws Exception {
    Path in = dir.resolve("input.jsonl");
    Files.write(in, joined(lines));
    Path out = dir.resolve("out");
    String before = checksum(in);
    Run run = run(job, in, out, extra);
    assertEquals(0, run.status(), run.err());
    JsonNode input = report(out).get("inputs").get(0);
    assertEquals(input.get("rows").asLong(),
        input.get("accepted").asLong() + input.get("quarantined").asLong());
    assertEquals(before, checksum(in));
    assertNoStaging(dir);
    return input;
  }

  private static byte[] joined(List<byte[]> lines) {
    int size = lines.stream().mapToInt(l -> l.length + 1).sum();
    byte[] all = new byte[size];
    int at = 0;
    for (byte[] l : lines) {
      System.arraycopy(l, 0, all, at, l.length);
      at += l.length;
      all[at++] = '\n';
    }
    return all;
  }

  private Run run(JobSpec job, Path in, Path out, String... extra) {
    List<String> args = new ArrayList<>(job.command());
    args.addAll(List.of(job.inputOption(), in.toString(), "--format", "jsonl", "--out",
        out.toString()));
    args.addAll(Arrays.asList(extra));
    return cli(args.toArray(String[]::new));
  }

  /** Exit status, exactly one {@code parallax:} line naming each of {@code expected}, no trace. */
  static void assertFailure(Run run, int status, String... expected) {
    assertEquals(status, run.status(), run.err());
    List<String> lines = run.err().lines().filter(l -> l.startsWith("parallax:")).toList();
    assertEquals(1, lines.size(), run.err());
    for (String e : expected) {
      assertTrue(lines.get(0).contains(e), "'" + e + "' not in: " + lines.get(0));
    }
    assertFalse(run.err().lines().anyMatch(l -> l.startsWith("\tat ")), run.err());
  }

  static Path failed(Path out) {
    return out.resolveSibling(out.getFileName() + "._failed");
  }

  static void assertNoStaging(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      List<String> left = s.map(p -> p.getFileName().toString())
          .filter(n -> n.contains("._staging-") || n.contains("._replaced-")
              || n.contains("._commit") || n.contains("._lease"))
          .toList();
      assertEquals(List.of(), left, "left in " + dir);
    }
  }

  /** SHA-256 over every file under {@code p} (names and bytes), in name order. */
  static String checksum(Path p) {
    try (Stream<Path> s = Files.walk(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
        md.update(p.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        md.update(Files.readAllBytes(f));
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
