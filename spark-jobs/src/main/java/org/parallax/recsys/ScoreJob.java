package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code recsys score}: top-k ContextGNN recommendations for every user at a split's cutoff, by
 * distributed DJL inference ({@link ContextGnnScoring}): local subgraphs in DataFrame operators,
 * then one model per executor scoring users in batches with a blocked top-k over the item table,
 * never a users x items join. Writes {@code recommendations/} ({@code method, user_id, rank,
 * item_id, score, familiar, checked}, ids as the input had them: the graph's
 * {@link IdDictionary} translates the dense ids back), the physical plan ({@code plan.txt}) and
 * counts of users scored, users without history, familiar items the model does not know and
 * brute-force checks.
 */
public final class ScoreJob implements Job<ScoreOptions> {
  @Override
  public String name() {
    return "recsys score";
  }

  @Override
  public java.util.List<String> inputs(ScoreOptions o) {
    return java.util.Arrays.asList(o.graph(), o.model());
  }

  /**
   * The cutoff a split is scored at: the latest cutoff of its labels ({@code labels} filtered to
   * the split); fails, naming the graph and split, when the split has no labelled user.
   */
  public static Timestamp cutoff(Dataset<Row> labels, String graph, String split) {
    Row cut = labels.agg(max("cutoff")).first();
    if (cut.isNullAt(0)) {
      throw new JobFailedException("graph " + graph + " has no labelled users in split "
          + split + ", so it has no cutoff to score at");
    }
    return cut.getTimestamp(0);
  }

  @Override
  public void run(JobContext ctx, ScoreOptions o) {
    ContextGnnConfig config = ContextGnnScoring.config(ctx.spark(), o.model());
    Dataset<Row> edges = LocalSubgraph.edges(ctx.spark(), o.graph());
    Dataset<Row> labels = ctx.spark().read().parquet(o.graph() + "/labels")
        .filter(col("split").equalTo(o.split()));
    Timestamp cutoff = cutoff(labels, o.graph(), o.split());
    Dataset<Row> users = o.users().equals("all") ? edges.select("user_id")
        : labels.select("user_id");
    Dataset<Row> scoring = ContextGnnScoring.usersAt(edges, users, cutoff, config);
    Dataset<Row> recs = IdDictionary.inOriginalIds(ctx.spark(), o.graph(),
        ContextGnnScoring.recommend(ctx.spark(), scoring,
            ContextGnnScoring.Settings.of(ctx.spark(), o.model(), edges, cutoff, o.k(),
                o.batchUsers(), o.blockItems(), o.halves(), o.verifyPerPartition())));
    ctx.out().writeText("plan.txt", recs.queryExecution().executedPlan().toString());
    long start = System.nanoTime();
    ctx.report().time("score", () -> recs.write().parquet(ctx.out().path("recommendations")));
    double seconds = (System.nanoTime() - start) / 1e9;
    // Counted from the committed output and the input, never from accumulators.
    long[] checked = ContextGnnScoring.checkedUsers(
        ctx.spark().read().schema(recs.schema()).parquet(ctx.out().path("recommendations")));
    long scored = checked[0];
    if (checked[2] > 0) {
      throw new JobFailedException(checked[2] + " of " + checked[1] + " users checked by brute "
          + "force got a different top-" + o.k() + " (item ids or scores) from the blocked top-k");
    }
    long[] input = ContextGnnScoring.inputCounts(ctx.spark(), scoring, o.model());
    ctx.report().count("users", scored).count("users_without_history", input[0])
        .count("unknown_familiar_items", input[1])
        .count("brute_force_checked_users", checked[1])
        .count("brute_force_mismatches", checked[2])
        .count("items", config.items())
        .metric("cutoff", cutoff.toInstant().toString())
        .metric("users_per_second", scored / seconds)
        .output("recommendations", ctx.out().finalPath("recommendations"))
        .output("plan", ctx.out().finalPath("plan.txt"));
  }
}
