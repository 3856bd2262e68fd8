package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Exit codes, help, overwrite refusal, atomic commit and determinism, through the CLI. */
class CliConventionsTest extends SparkTestBase {

  @Test
  void helpAtEveryLevelAndUsageErrorsExitTwo() {
    assertEquals(0, cli("--help").status());
    Run datagenHelp = cli("datagen", "--help");
    assertEquals(0, datagenHelp.status());
    assertTrue(datagenHelp.out().contains("--scale"), datagenHelp.out());
    // datagen reads no input, so it offers no input checks; a job that reads input does.
    assertFalse(datagenHelp.out().contains("--max-bad-fraction"), datagenHelp.out());
    assertFalse(datagenHelp.out().contains("--max-line-bytes"), datagenHelp.out());
    assertEquals(2, cli("datagen", "recsys", "--out", tmp.resolve("w").toString(),
        "--max-bad-fraction", "0.5").status(), "an input option datagen cannot use");
    Run graphHelp = cli("recsys", "graph", "--help");
    assertEquals(0, graphHelp.status());
    assertTrue(graphHelp.out().contains("--max-bad-fraction")
        && graphHelp.out().contains("--max-line-bytes"), graphHelp.out());
    assertEquals(0, cli("gpu-plan", "--help").status());
    assertEquals(2, cli("no-such-area").status());
    assertEquals(2, cli("datagen", "retrieval").status(), "missing --out is bad usage");
    Run badArea = cli("datagen", "weather", "--out", tmp.resolve("w").toString());
    assertEquals(2, badArea.status());
    assertTrue(badArea.err().contains("unknown area 'weather'"), badArea.err());
    assertEquals(2, cli("datagen", "recsys", "--out", tmp.resolve("w").toString(),
        "--scale", "many").status());
    assertFalse(Files.exists(tmp.resolve("w")), "a usage error writes nothing");
  }

  @Test
  void rerunWithoutOverwriteFailsAndLeavesOutputUntouched() throws Exception {
    Path out = tmp.resolve("x");
    Run first = cli("datagen", "retrieval", "--out", out.toString(), "--scale", "300");
    assertEquals(0, first.status(), first.err());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    assertTrue(first.out().contains("succeeded"), first.out());
    List<String> before = listing(out);
    String reportBefore = Files.readString(out.resolve("_report.json"));

    Run second = cli("datagen", "retrieval", "--out", out.toString(), "--scale", "400");
    assertEquals(1, second.status());
    assertTrue(second.err().contains("already exists") && second.err().contains("--overwrite"),
        second.err());
    assertEquals(before, listing(out));
    assertEquals(reportBefore, Files.readString(out.resolve("_report.json")));

    Run third = cli("datagen", "retrieval", "--out", out.toString(), "--scale", "400",
        "--overwrite");
    assertEquals(0, third.status(), third.err());
    assertEquals(400, report(out).get("counts").get("passages").asLong());
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertEquals(List.of("x"), siblings.map(p -> p.getFileName().toString()).sorted()
          .collect(Collectors.toList()), "no staging or replaced directories are left behind");
    }
  }

  @Test
  void sameSeedSameDataOtherSeedOtherData() {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    assertEquals(0, cli("datagen", "recsys", "--out", a.toString(), "--scale", "2000").status());
    assertEquals(0, cli("datagen", "recsys", "--out", b.toString(), "--scale", "2000").status());
    assertEquals(0, cli("datagen", "recsys", "--out", c.toString(), "--scale", "2000",
        "--seed", "7").status());
    List<Row> ra = sorted(a);
    assertEquals(ra, sorted(b));
    assertNotEquals(ra, sorted(c));
    com.fasterxml.jackson.databind.JsonNode r = report(a);
    assertEquals("succeeded", r.get("status").asText());
    assertEquals(ra.size(), r.get("counts").get("interactions").asLong());
    assertEquals("3.5.5", r.get("versions").get("spark").asText());
    assertEquals(2000, r.get("config").get("scale").asLong());
    assertTrue(r.get("stages").size() >= 3);
  }

  @Test
  void progressLinesArePrintedPerStage() {
    Run run = cli("datagen", "avinfo", "--out", tmp.resolve("av").toString(), "--scale", "3000");
    assertEquals(0, run.status(), run.err());
    java.util.regex.Pattern line = java.util.regex.Pattern.compile(
        "\\[parallax datagen avinfo\\] stage \\d+ \\(([^)]+)\\): (\\d+)/\\2 tasks, [\\d,]+ rows "
            + "in, [\\d,]+ rows out, ([\\d.]+)s done");
    List<java.util.regex.Matcher> done = run.err().lines().map(line::matcher)
        .filter(java.util.regex.Matcher::matches).collect(Collectors.toList());
    List<String> names = done.stream().map(m -> m.group(1)).distinct()
        .collect(Collectors.toList());
    assertTrue(!names.isEmpty(), run.err());
    // A quick Spark stage is shown only as the first of its parallax stage: one line per name
    // (datagen recsys runs several quick Spark stages under one name).
    Run recsys = cli("datagen", "recsys", "--out", tmp.resolve("rs").toString(), "--scale", "300");
    assertEquals(0, recsys.status(), recsys.err());
    java.util.regex.Pattern recsysLine = java.util.regex.Pattern.compile(line.pattern()
        .replace("datagen avinfo", "datagen recsys"));
    List<String> quick = recsys.err().lines().map(recsysLine::matcher)
        .filter(java.util.regex.Matcher::matches)
        .filter(m -> Double.parseDouble(m.group(3)) < 1.0).map(m -> m.group(1))
        .collect(Collectors.toList());
    assertTrue(!quick.isEmpty(), recsys.err());
    assertEquals(quick.stream().distinct().count(), quick.size(), recsys.err());
    // Each line is named after the parallax stage that launched it (a timed stage of the report).
    List<String> timed = new java.util.ArrayList<>();
    report(tmp.resolve("av")).get("stages").forEach(st -> timed.add(st.get("name").asText()));
    assertTrue(timed.containsAll(names), names + " not among the report's stages " + timed);
  }

  private static List<Row> sorted(Path dir) {
    return spark.read().parquet(dir.resolve("interactions").toString())
        .orderBy("user_id", "ts", "item_id").collectAsList();
  }

  private static List<String> listing(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p) + ":" + p.toFile().length()).sorted()
          .collect(Collectors.toList());
    }
  }
}
