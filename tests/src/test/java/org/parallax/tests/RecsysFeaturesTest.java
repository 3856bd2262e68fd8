package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Local subgraphs, pair features and item aggregates on a log small enough to check by hand. */
class RecsysFeaturesTest extends SparkTestBase {

  @Test
  void pairFeaturesAndItemAggregatesMatchHandComputation() throws Exception {
    // Days since 2024-01-01. The last event (day 40) puts the test cutoff at day 33, validation
    // at day 26 and the one training cutoff at day 19 (7-day windows).
    int[][] events = {{1, 10, 0}, {1, 10, 10}, {1, 20, 20}, {1, 30, 35}, {2, 20, 5}, {2, 40, 38},
        {2, 50, 40}};
    List<String> lines = new ArrayList<>(List.of("user_id,item_id,ts"));
    for (int[] e : events) {
      lines.add(e[0] + "," + e[1] + "," + LocalDate.of(2024, 1, 1).plusDays(e[2])
          .atStartOfDay().toEpochSecond(ZoneOffset.UTC));
    }
    Path csv = tmp.resolve("events.csv");
    Files.write(csv, lines);
    Path graph = tmp.resolve("graph");
    assertEquals(0, cli("recsys", "graph", "--interactions", csv.toString(), "--train-windows",
        "1", "--out", graph.toString()).status());
    Path out = tmp.resolve("features");
    Run run = cli("recsys", "features", "--graph", graph.toString(), "--half-life-days", "10",
        "--window-days", "30", "--out", out.toString());
    assertEquals(0, run.status(), run.err());

    List<Row> u1 = spark.read().parquet(out.resolve("local").toString())
        .filter("user_id = 1 and split = 'test'").orderBy("recency_rank").collectAsList();
    assertEquals(2, u1.size(), "items 10 and 20 before day 33; 30 is the label");
    assertEquals(20L, (long) u1.get(0).getAs("item_id"));
    assertEquals(1L, (long) u1.get(0).getAs("count"));
    assertEquals(13.0, (double) u1.get(0).getAs("recency_days"), 1e-9);
    assertEquals(Math.pow(0.5, 1.3), (double) u1.get(0).getAs("decayed"), 1e-9);
    assertEquals(10L, (long) u1.get(1).getAs("item_id"));
    assertEquals(2L, (long) u1.get(1).getAs("count"));
    assertEquals(23.0, (double) u1.get(1).getAs("recency_days"), 1e-9);
    assertEquals(Math.pow(0.5, 3.3) + Math.pow(0.5, 2.3), (double) u1.get(1).getAs("decayed"),
        1e-9);
    List<Row> train = spark.read().parquet(out.resolve("local").toString())
        .filter("user_id = 1 and split = 'train'").collectAsList();
    assertEquals(1, train.size(), "at day 19 user 1 has only item 10");
    assertEquals(9.0, (double) train.get(0).getAs("recency_days"), 1e-9);

    List<Row> hood = spark.read().parquet(out.resolve("item_neighbourhood").toString())
        .filter("window = 0").orderBy("item_id").collectAsList();
    // Up to day 33: user 1 has 3 interactions (items 10, 10, 20), user 2 one (item 20).
    assertEquals(2, hood.size());
    assertEquals(1L, (long) hood.get(0).getAs("users"));
    assertEquals(2L, (long) hood.get(0).getAs("two_hop_paths"));
    assertEquals(2L, (long) hood.get(1).getAs("users"));
    assertEquals(2L, (long) hood.get(1).getAs("two_hop_paths"));
    List<Row> pop = spark.read().parquet(out.resolve("item_popularity").toString())
        .filter("window = 0").orderBy("item_id").collectAsList();
    // In (day 3, day 33]: item 10 once (day 10), item 20 twice (days 5 and 20).
    assertEquals(List.of(1L, 2L), pop.stream().map(r -> (Long) r.getAs("interactions")).toList());
  }
}
