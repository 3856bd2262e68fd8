package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Malformed rows are quarantined with reasons and counted; unusable input fails clearly. */
class BadInputTest extends SparkTestBase {

  /** 100 interaction rows, of which rows 10, 50 and 90 have a non-numeric timestamp. */
  private Path csvWithThreeBadTimestamps() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("user_id,item_id,ts");
    for (int i = 0; i < 100; i++) {
      String ts = (i == 10 || i == 50 || i == 90) ? "yesterday" : Long.toString(1_700_000_000L
          + i * 3_600L);
      lines.add((i % 7) + "," + (i % 13) + "," + ts);
    }
    Path csv = tmp.resolve("interactions.csv");
    Files.write(csv, lines);
    return csv;
  }

  @Test
  void csvBadTimestampsAboveToleranceFailWithReasonsKept() throws Exception {
    Path out = tmp.resolve("graph");
    Run run = cli("recsys", "graph", "--interactions", csvWithThreeBadTimestamps().toString(),
        "--out", out.toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("3 of 100 rows (3.00%) are malformed"), run.err());
    assertTrue(run.err().contains("interactions.csv") && run.err().contains("bad_ts"), run.err());
    assertFalse(Files.exists(out), "a failed job commits nothing");
    Path failed = tmp.resolve("graph._failed");
    JsonNode report = report(failed);
    assertEquals("failed", report.get("status").asText());
    assertEquals(3, report.get("inputs").get(0).get("quarantined").asLong());
    List<Row> bad = spark.read().parquet(failed.resolve("_quarantine/interactions").toString())
        .orderBy("ts").collectAsList();
    assertEquals(3, bad.size());
    for (Row r : bad) {
      assertEquals("yesterday", r.getAs("ts"));
      assertEquals("ts: expected timestamp (ISO-8601, epoch seconds or milliseconds; other forms "
          + "need --ts-format), got 'yesterday'", r.getAs("_reason"));
    }
  }

  @Test
  void csvBadTimestampsWithinToleranceAreQuarantinedAndCounted() throws Exception {
    Path out = tmp.resolve("graph");
    Run run = cli("recsys", "graph", "--interactions", csvWithThreeBadTimestamps().toString(),
        "--out", out.toString(), "--max-bad-fraction", "0.05");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("3 malformed input rows quarantined"), run.out());
    JsonNode input = report(out).get("inputs").get(0);
    assertEquals(100, input.get("rows").asLong());
    assertEquals(97, input.get("accepted").asLong());
    assertEquals(3, input.get("quarantined").asLong());
    assertEquals(3, input.get("reasons").get("bad_ts").asLong());
    assertEquals(97, report(out).get("counts").get("edges").asLong());
    assertEquals(97, spark.read().parquet(out.resolve("edges").toString()).count());
    assertEquals(3, spark.read().parquet(out.resolve("_quarantine/interactions").toString())
        .count());
  }

  @Test
  void jsonlBrokenLineIsQuarantinedAsMalformed() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      lines.add(String.format("{\"user_id\": %d, \"item_id\": %d, \"ts\": \"2024-03-%02dT10:00:00Z\"}",
          i % 11, i % 17, 1 + i % 28));
    }
    lines.set(77, "{\"user_id\": 3, \"item_id\": ");
    Path jsonl = tmp.resolve("events.jsonl");
    Files.write(jsonl, lines);
    Path out = tmp.resolve("graph");
    Run run = cli("recsys", "graph", "--interactions", jsonl.toString(), "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode input = report(out).get("inputs").get(0);
    assertEquals(200, input.get("rows").asLong());
    assertEquals(1, input.get("quarantined").asLong());
    assertEquals(1, input.get("reasons").get("malformed").asLong());
    Row bad = spark.read().parquet(out.resolve("_quarantine/interactions").toString()).first();
    assertEquals("malformed record", bad.getAs("_reason"));
    assertEquals("{\"user_id\": 3, \"item_id\": ", bad.getAs("_corrupt_record"));
  }

  @Test
  void missingRequiredColumnNamesFileAndColumn() throws Exception {
    Path csv = tmp.resolve("no-ts.csv");
    Files.write(csv, List.of("user_id,item_id,when", "1,2,2024-01-01", "2,3,2024-01-02"));
    Run run = cli("recsys", "graph", "--interactions", csv.toString(), "--out",
        tmp.resolve("g").toString());
    assertEquals(1, run.status());
    assertTrue(run.err().contains("no-ts.csv") && run.err().contains("required column 'ts'")
        && run.err().contains("[user_id, item_id, when]"), run.err());
  }

  @Test
  void columnsWithOtherNamesAreMapped() throws Exception {
    Path csv = tmp.resolve("ratings.csv");
    Files.write(csv, List.of("userId,movieId,rating,timestamp", "1,31,2.5,1260759144",
        "1,1029,3.0,1260759179", "2,10,4.0,835355493"));
    Path out = tmp.resolve("g");
    Run run = cli("recsys", "graph", "--interactions", csv.toString(), "--columns",
        "user_id=userId,item_id=movieId,ts=timestamp,weight=rating", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    assertEquals(3, report(out).get("counts").get("edges").asLong());
    // Item 1029 as the graph knows it: through its vertex's original id.
    String dst = spark.read().parquet(out.resolve("vertices").toString())
        .filter("type = 'item' and original_id = '1029'").first().getAs("id");
    Row e = spark.read().parquet(out.resolve("edges").toString()).filter("dst = '" + dst + "'")
        .first();
    assertEquals(3.0, (double) e.getAs("weight"), 1e-12);
    assertEquals(1260759179000L, e.<java.sql.Timestamp>getAs("ts").getTime());
    Run missing = cli("recsys", "graph", "--interactions", csv.toString(), "--columns",
        "user_id=uid", "--out", tmp.resolve("g2").toString());
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("required column 'uid'")
        && missing.err().contains("(mapped from user_id)"), missing.err());
  }

  @Test
  void duplicatesOutOfRangeAndUnknownItemsAreCounted() throws Exception {
    Path csv = tmp.resolve("events.csv");
    Files.write(csv, List.of("user_id,item_id,ts,weight",
        "1,10,2024-01-01T00:00:00Z,1", "1,10,2024-01-01T00:00:00Z,1", // duplicate event
        "1,11,2024-01-02T00:00:00Z,2", "2,10,2024-01-03T00:00:00Z,",
        "2,99,2024-01-04T00:00:00Z,1", // item 99 is not in the item table
        "3,11,1969-12-01T00:00:00Z,1", // before 1970
        "3,12,2024-01-05T00:00:00Z,-1")); // negative weight
    Path items = tmp.resolve("items.csv");
    Files.write(items, List.of("item_id,category", "10,a", "11,b", "12,c"));
    Path out = tmp.resolve("g");
    Run run = cli("recsys", "graph", "--interactions", csv.toString(), "--items", items.toString(),
        "--out", out.toString(), "--max-bad-fraction", "0.5");
    assertEquals(0, run.status(), run.err());
    JsonNode r = report(out);
    JsonNode reasons = r.get("inputs").get(0).get("reasons");
    assertEquals(1, reasons.get("ts_out_of_range").asLong());
    assertEquals(1, reasons.get("negative_weight").asLong());
    assertEquals(1, r.get("counts").get("unknown_item_events_quarantined").asLong());
    assertEquals(1, r.get("counts").get("duplicate_events_dropped").asLong());
    assertEquals(3, r.get("counts").get("edges").asLong());
    Row v = spark.read().parquet(out.resolve("vertices").toString())
        .filter("type = 'item' and original_id = '11'").first();
    assertEquals("b", v.getAs("category"));
    assertEquals(1L, (long) v.getAs("degree"));
  }
}
