package org.parallax.tests;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
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

    // Features speak the graph's dense ids: the test's ids go through its dictionaries.
    long user1 = dense(graph, "users", "1");
    long item10 = dense(graph, "items", "10");
    long item20 = dense(graph, "items", "20");
    List<Row> u1 = spark.read().parquet(out.resolve("local").toString())
        .filter("user_id = " + user1 + " and split = 'test'").orderBy("recency_rank")
        .collectAsList();
    assertEquals(2, u1.size(), "items 10 and 20 before day 33; 30 is the label");
    assertEquals(item20, (long) u1.get(0).getAs("item_id"));
    assertEquals(1L, (long) u1.get(0).getAs("count"));
    assertEquals(13.0, (double) u1.get(0).getAs("recency_days"), 1e-9);
    assertEquals(Math.pow(0.5, 1.3), (double) u1.get(0).getAs("decayed"), 1e-9);
    assertEquals(item10, (long) u1.get(1).getAs("item_id"));
    assertEquals(2L, (long) u1.get(1).getAs("count"));
    assertEquals(23.0, (double) u1.get(1).getAs("recency_days"), 1e-9);
    assertEquals(Math.pow(0.5, 3.3) + Math.pow(0.5, 2.3), (double) u1.get(1).getAs("decayed"),
        1e-9);
    List<Row> train = spark.read().parquet(out.resolve("local").toString())
        .filter("user_id = " + user1 + " and split = 'train'").collectAsList();
    assertEquals(1, train.size(), "at day 19 user 1 has only item 10");
    assertEquals(9.0, (double) train.get(0).getAs("recency_days"), 1e-9);

    Dataset<Row> hood = spark.read().parquet(out.resolve("item_neighbourhood").toString())
        .filter("window = 0");
    // Up to day 33: user 1 has 3 interactions (items 10, 10, 20), user 2 one (item 20).
    assertEquals(2, hood.count());
    Row hood10 = hood.filter("item_id = " + item10).first();
    Row hood20 = hood.filter("item_id = " + item20).first();
    assertEquals(1L, (long) hood10.getAs("users"));
    assertEquals(2L, (long) hood10.getAs("two_hop_paths"));
    assertEquals(2L, (long) hood20.getAs("users"));
    assertEquals(2L, (long) hood20.getAs("two_hop_paths"));
    Dataset<Row> pop = spark.read().parquet(out.resolve("item_popularity").toString())
        .filter("window = 0");
    // In (day 3, day 33]: item 10 once (day 10), item 20 twice (days 5 and 20).
    assertEquals(2, pop.count());
    assertEquals(1L, (long) pop.filter("item_id = " + item10).first().getAs("interactions"));
    assertEquals(2L, (long) pop.filter("item_id = " + item20).first().getAs("interactions"));
  }

  /** The dense id the graph gave {@code original} in its dictionary of {@code entity}. */
  private static long dense(Path graph, String entity, String original) {
    return spark.read().parquet(graph.resolve("dictionary").resolve(entity).toString())
        .filter(col("original_id").equalTo(original)).first().getAs("dense_id");
  }
}
