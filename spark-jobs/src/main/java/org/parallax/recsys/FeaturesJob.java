package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.Job;
import org.parallax.common.JobContext;

/**
 * {@code recsys features}: what ContextGNN reads for each labelled (user, cutoff) of a
 * {@code recsys graph} output, all from interactions at or before the cutoff, in DataFrame joins
 * and aggregations (GPU-capable):
 * <ul>
 *   <li>{@code local/}: the user's local subgraph, its {@code --fanout} most recent distinct
 *       items, with pair features: {@code count}, {@code recency_days} since the last
 *       interaction, {@code decayed} (weights halved every {@code --half-life-days}) and
 *       {@code recency_rank} (1 = most recent);
 *   <li>{@code item_neighbourhood/}: per cutoff and item, aggregateMessages-style two-hop
 *       aggregates over item → user → item: {@code users} (distinct users) and
 *       {@code two_hop_paths} (the sum over its users of their other interactions);
 *   <li>{@code item_popularity/}: per cutoff, interactions per item in the window before it.
 * </ul>
 * The two item tables ({@link ItemStatistics}) are the model's {@link ItemFeatures}: {@code recsys
 * train} reads them per training cutoff.
 */
public final class FeaturesJob implements Job<FeaturesOptions> {
  @Override
  public String name() {
    return "recsys features";
  }

  @Override
  public java.util.List<String> inputs(FeaturesOptions o) {
    return java.util.Arrays.asList(o.graph());
  }

  @Override
  public void run(JobContext ctx, FeaturesOptions o) {
    Dataset<Row> edges = LocalSubgraph.edges(ctx.spark(), o.graph());
    Dataset<Row> labels = ctx.spark().read().parquet(o.graph() + "/labels")
        .select("user_id", "window", "cutoff", "split");
    // The cutoffs (one per window) stay a Spark aggregation, not a local table built on the
    // driver: RAPIDS plans a LocalTableScanExec on the CPU (GpuPlanTest).
    Dataset<Row> cutoffs = labels.select("window", "cutoff").distinct();

    Dataset<Row> local = LocalSubgraph.pairs(edges, labels, o.fanout(), o.halfLifeDays());
    ctx.report().time("local subgraphs", () -> local.write().partitionBy("split")
        .parquet(ctx.out().path("local")));

    Dataset<Row> history = ItemStatistics.history(edges, cutoffs);
    Dataset<Row> neighbourhood = ItemStatistics.neighbourhood(history);
    ctx.report().time("item neighbourhoods", () -> neighbourhood.write()
        .parquet(ctx.out().path("item_neighbourhood")));
    Dataset<Row> popularity = ItemStatistics.popularity(history, o.windowDays());
    ctx.report().time("item popularity", () -> popularity.write()
        .parquet(ctx.out().path("item_popularity")));

    // Every (user, cutoff) has exactly one pair of recency rank 1: one pass counts both.
    Row written = ctx.spark().read().schema(local.schema()).parquet(ctx.out().path("local"))
        .agg(count(lit(1)), count(when(col("recency_rank").equalTo(1), 1))).first();
    ctx.report().count("local_pairs", written.getLong(0))
        .count("user_cutoffs", written.getLong(1))
        .count("cutoffs", cutoffs.count())
        .output("local", ctx.out().finalPath("local"))
        .output("item_neighbourhood", ctx.out().finalPath("item_neighbourhood"))
        .output("item_popularity", ctx.out().finalPath("item_popularity"));
  }
}
