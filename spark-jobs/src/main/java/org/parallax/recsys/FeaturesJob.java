package org.parallax.recsys;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.CommonOptions;
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
 */
public final class FeaturesJob implements Job<FeaturesOptions> {
  @Override
  public String name() {
    return "recsys features";
  }

  @Override
  public CommonOptions common(FeaturesOptions options) {
    return options.common();
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
    Dataset<Row> cutoffs = labels.select("window", "cutoff").distinct();

    Dataset<Row> local = LocalSubgraph.pairs(edges, labels, o.fanout(), o.halfLifeDays());
    ctx.report().time("local subgraphs", () -> local.write().partitionBy("split")
        .parquet(ctx.out().path("local")));

    Dataset<Row> history = edges.crossJoin(broadcast(cutoffs)).filter(col("ts").leq(col("cutoff")));
    Dataset<Row> userDegree = history.groupBy("window", "user_id").agg(count(lit(1)).as("deg"));
    Dataset<Row> neighbourhood = history.select("window", "cutoff", "user_id", "item_id")
        .distinct().join(userDegree, new String[] {"window", "user_id"})
        .groupBy("window", "cutoff", "item_id")
        .agg(countDistinct("user_id").as("users"), sum(col("deg").minus(1)).as("two_hop_paths"));
    ctx.report().time("item neighbourhoods", () -> neighbourhood.write()
        .parquet(ctx.out().path("item_neighbourhood")));

    Dataset<Row> popularity = history.filter(unix_timestamp(col("cutoff"))
            .minus(unix_timestamp(col("ts"))).lt(o.windowDays() * 86_400L))
        .groupBy("window", "cutoff", "item_id").agg(count(lit(1)).as("interactions"));
    ctx.report().time("item popularity", () -> popularity.write()
        .parquet(ctx.out().path("item_popularity")));

    Dataset<Row> written = ctx.spark().read().parquet(ctx.out().path("local"));
    ctx.report().count("local_pairs", written.count())
        .count("user_cutoffs", written.select("user_id", "window").distinct().count())
        .count("cutoffs", cutoffs.count())
        .output("local", ctx.out().finalPath("local"))
        .output("item_neighbourhood", ctx.out().finalPath("item_neighbourhood"))
        .output("item_popularity", ctx.out().finalPath("item_popularity"));
  }
}
