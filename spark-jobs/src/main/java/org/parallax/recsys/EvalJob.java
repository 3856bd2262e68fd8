package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.Charts;
import org.parallax.common.HtmlReport;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code recsys eval}: top-k recommendations of the baselines ({@link Baselines}, LightGCN:
 * {@link LightGcnFit}, {@link LightGcnScoring}) for every user
 * labelled in a split of a {@code recsys graph} output, from the interactions up to the split's
 * cutoff, scored with {@link RankingMetrics}. Writes {@code recommendations/} ({@code method,
 * user_id, rank, item_id}, ids as the input had them), the metrics in the report,
 * {@code metrics.png} and {@code report.html}.
 */
public final class EvalJob implements Job<EvalOptions> {
  @Override
  public String name() {
    return "recsys eval";
  }

  @Override
  public java.util.List<String> inputs(EvalOptions o) {
    return java.util.Arrays.asList(o.graph(), o.model());
  }

  /** ALS's checkpoints, inside the staged output until the job removes them. */
  private static final String ALS_CHECKPOINTS = "_als_checkpoints";

  @Override
  public void run(JobContext ctx, EvalOptions o) {
    Dataset<Row> edges = LocalSubgraph.edges(ctx.spark(), o.graph());
    Dataset<Row> labels = ctx.spark().read().parquet(o.graph() + "/labels")
        .filter(col("split").equalTo(o.split())).cache();
    Row stats = labels.agg(max("cutoff"), countDistinct("user_id")).first();
    if (stats.isNullAt(0)) {
      throw new JobFailedException("graph " + o.graph() + " has no labelled users in split "
          + o.split());
    }
    Timestamp cutoff = stats.getTimestamp(0);
    Row range = edges.agg(max("user_id"), max("item_id"), countDistinct("item_id")).first();
    if (range.getLong(0) > Integer.MAX_VALUE || range.getLong(1) > Integer.MAX_VALUE) {
      throw new JobFailedException("graph " + o.graph() + " has more users or items than the "
          + "ALS baseline (MLlib, int ids) takes: dense ids up to " + range.getLong(0)
          + " (users) and " + range.getLong(1) + " (items)");
    }
    Dataset<Row> history = edges.filter(col("ts").leq(cutoff)).cache();
    Dataset<Row> users = labels.select("user_id", "label_items");
    List<Dataset<Row>> methods = new ArrayList<>();
    if (o.baselines().contains("popularity")) {
      methods.add(Baselines.popularity(history, users, cutoff, o.windowDays(), o.k()));
    }
    if (o.baselines().contains("past_visits")) {
      methods.add(Baselines.pastVisits(history, users, o.k()));
    }
    if (o.baselines().contains("als")) {
      // MLlib ALS runs on RDDs: the one CPU-only baseline (see gpu-plan).
      methods.add(Baselines.als(history, users, o.k(), o.alsRank(), o.alsIterations(),
          ctx.options().seed(), ctx.out().path(ALS_CHECKPOINTS)));
    }
    if (o.baselines().contains("lightgcn")) {
      methods.add(lightGcn(ctx, o, history, users));
    }
    if (o.model() != null) {
      methods.add(contextGnn(ctx, o, edges, users, cutoff));
    }
    if (methods.isEmpty()) {
      throw new JobFailedException("nothing to evaluate: give --baselines or --model");
    }
    // Written, and scored, in the ids the input had.
    Dataset<Row> recs = IdDictionary.inOriginalIds(ctx.spark(), o.graph(),
        methods.stream().reduce(Dataset::unionByName).orElseThrow());
    ctx.report().time("recommend", () -> recs.write().parquet(ctx.out().path("recommendations")));
    Dataset<Row> truth = labels.select(col("original_user_id").as("user_id"),
        col("original_label_items").as("label_items"));
    Map<String, Map<String, Double>> metrics = ctx.report().time("metrics",
        () -> RankingMetrics.compute(ctx.spark(), ctx.spark().read().schema(recs.schema())
            .parquet(ctx.out().path("recommendations")), truth, o.k(), range.getLong(2)));
    ctx.report().count("evaluated_users", stats.getLong(1)).count("items", range.getLong(2))
        .metric("cutoff", cutoff.toInstant().toString()).metric("methods", metrics)
        .output("recommendations", ctx.out().finalPath("recommendations"));
    chart(ctx, o, metrics);
    history.unpersist();
    labels.unpersist();
    try {
      ctx.out().fileSystem().delete(new org.apache.hadoop.fs.Path(ctx.out().path(ALS_CHECKPOINTS)),
          true);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot remove ALS's checkpoints", e);
    }
  }

  /**
   * LightGCN fitted on the driver to the history up to the cutoff, as ALS is, and ranked on the
   * executors; its fit (per-epoch loss, graph size) in the report.
   */
  private static Dataset<Row> lightGcn(JobContext ctx, EvalOptions o, Dataset<Row> history,
      Dataset<Row> users) {
    LightGcnFit fit = ctx.report().time("lightgcn train",
        () -> LightGcnFit.of(history, o.lightGcn(), ctx.options().seed()));
    LightGcnScoring.Result r = LightGcnScoring.recommend(ctx.spark(), fit, users, o.k(),
        o.batchUsers(), o.blockItems());
    ctx.report().metric("lightgcn", fit.summary(o.lightGcn()))
        .count("lightgcn_users_without_history", r.usersWithoutHistory());
    return r.recommendations();
  }

  /** ContextGNN and its two halves for the labelled users, at the split's cutoff. */
  private static Dataset<Row> contextGnn(JobContext ctx, EvalOptions o, Dataset<Row> edges,
      Dataset<Row> users, Timestamp cutoff) {
    ContextGnnConfig config = ContextGnnScoring.config(ctx.spark(), o.model());
    return ContextGnnScoring.recommend(ctx.spark(),
        ContextGnnScoring.usersAt(edges, users, cutoff, config),
        ContextGnnScoring.Settings.of(ctx.spark(), o.model(), edges, cutoff, o.k(),
            o.batchUsers(), o.blockItems(), true, 0))
        .select("method", "user_id", "rank", "item_id");
  }

  private static void chart(JobContext ctx, EvalOptions o, Map<String, Map<String, Double>> m) {
    List<String> methods = new ArrayList<>(m.keySet());
    Map<String, List<Double>> series = new LinkedHashMap<>();
    List<List<String>> rows = new ArrayList<>();
    for (String metric : List.of("map@" + o.k(), "recall@" + o.k(), "ndcg@" + o.k())) {
      List<Double> v = new ArrayList<>();
      methods.forEach(x -> v.add(m.get(x).getOrDefault(metric, 0.0)));
      series.put(metric, v);
    }
    for (String x : methods) {
      List<String> row = new ArrayList<>(List.of(x));
      m.get(x).values().forEach(v -> row.add(String.format("%.4f", v)));
      rows.add(row);
    }
    byte[] png = Charts.bars("Top-" + o.k() + " recommendation (" + o.split() + ")", "method",
        "score", methods, series);
    ctx.out().writeBytes("metrics.png", png);
    ctx.out().writeText("report.html", new HtmlReport("recsys eval (" + o.split() + ")")
        .table(List.of("method", "map@" + o.k(), "recall@" + o.k(), "ndcg@" + o.k(), "coverage"),
            rows).image("metrics", png).render());
  }
}
