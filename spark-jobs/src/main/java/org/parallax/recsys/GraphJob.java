package org.parallax.recsys;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.unix_timestamp;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.parallax.common.CommonOptions;
import org.parallax.common.InputFormat;
import org.parallax.common.Job;
import org.parallax.common.JobContext;

/**
 * {@code recsys graph}: the user-item interaction graph as GraphFrames-shaped DataFrames
 * ({@code vertices}: {@code id, type, degree, first_ts, last_ts}; {@code edges}: {@code src, dst,
 * ts, weight, user_seq}), with vertex ids {@code u<user_id>} and {@code i<item_id>} so users and
 * items share one id space, and the RelBench temporal split: the test cutoff is one window before
 * the last event, the validation cutoff one window before that, and {@code --train-windows}
 * training cutoffs step back one window at a time; a user's labels at a cutoff are the items it
 * interacts with in {@code (cutoff, cutoff + window]}, and users without labels are not evaluated.
 * Windows are assigned arithmetically (no range join), so every stage is a relational operator.
 */
public final class GraphJob implements Job<GraphOptions> {
  @Override
  public String name() {
    return "recsys graph";
  }

  @Override
  public CommonOptions common(GraphOptions options) {
    return options.common();
  }

  @Override
  public void run(JobContext ctx, GraphOptions o) {
    Dataset<Row> read = ctx.reader().read(o.interactions(),
        InputFormat.of(o.interactions(), o.format()), InteractionSchema.get());
    Dataset<Row> events = read.withColumn("weight", coalesce(col("weight"), lit(1.0)))
        .dropDuplicates("user_id", "item_id", "ts").cache();
    long accepted = ctx.report().inputs.get(0).accepted();
    long kept = events.count();
    ctx.report().count("duplicate_events_dropped", accepted - kept).count("edges", kept);

    Dataset<Row> edges = events.select(concat(lit("u"), col("user_id")).as("src"),
        concat(lit("i"), col("item_id")).as("dst"), col("ts"), col("weight"),
        row_number().over(Window.partitionBy("user_id").orderBy(col("ts").desc(),
            col("item_id"))).as("user_seq"));
    ctx.report().time("edges", () -> edges.write().parquet(ctx.out().path("edges")));

    Dataset<Row> users = events.groupBy("user_id").agg(count(lit(1)).as("degree"),
        min("ts").as("first_ts"), max("ts").as("last_ts"))
        .select(concat(lit("u"), col("user_id")).as("id"), lit("user").as("type"), col("degree"),
            col("first_ts"), col("last_ts"));
    Dataset<Row> items = events.groupBy("item_id").agg(count(lit(1)).as("degree"),
        min("ts").as("first_ts"), max("ts").as("last_ts"))
        .select(concat(lit("i"), col("item_id")).as("id"), lit("item").as("type"), col("degree"),
            col("first_ts"), col("last_ts"));
    ctx.report().time("vertices",
        () -> users.unionByName(items).write().parquet(ctx.out().path("vertices")));

    Row stats = events.agg(min("ts"), max("ts"), countDistinct("user_id"),
        countDistinct("item_id")).first();
    Timestamp last = stats.getTimestamp(1);
    long window = o.windowDays() * 86_400L;
    long testCutoff = last.getTime() / 1000 - window;
    ctx.report().count("users", stats.getLong(2)).count("items", stats.getLong(3))
        .metric("first_ts", stats.getTimestamp(0).toInstant().toString())
        .metric("last_ts", last.toInstant().toString())
        .metric("mean_user_degree", (double) kept / stats.getLong(2))
        .metric("mean_item_degree", (double) kept / stats.getLong(3))
        .metric("test_cutoff", new Timestamp(testCutoff * 1000).toInstant().toString());

    // Window k holds events in (testCutoff - k*W, testCutoff - (k-1)*W]: 0 test, 1 val, 2.. train.
    Dataset<Row> labels = events
        .withColumn("window", floor(lit(testCutoff).minus(unix_timestamp(col("ts")))
            .divide(window)).plus(1).cast("int"))
        .filter(col("window").between(0, 1 + o.trainWindows()))
        .groupBy("user_id", "window")
        .agg(collect_set("item_id").as("label_items"), count(lit(1)).as("label_events"))
        .withColumn("split", when(col("window").equalTo(0), "test")
            .when(col("window").equalTo(1), "val").otherwise("train"))
        .withColumn("cutoff", timestamp_seconds(lit(testCutoff).minus(col("window").multiply(window))));
    ctx.report().time("labels", () -> labels.write().partitionBy("split")
        .parquet(ctx.out().path("labels")));
    for (Row r : ctx.spark().read().parquet(ctx.out().path("labels")).groupBy("split")
        .agg(count(lit(1)), avg(org.apache.spark.sql.functions.size(col("label_items"))),
            approx_count_distinct("cutoff"))
        .orderBy("split").collectAsList()) {
      ctx.report().count("labelled_users_" + r.getString(0), r.getLong(1));
      ctx.report().metric("mean_labels_" + r.getString(0), r.getDouble(2));
    }
    ctx.report().config("window_days", o.windowDays());
    ctx.report().output("vertices", ctx.out().finalPath("vertices"))
        .output("edges", ctx.out().finalPath("edges"))
        .output("labels", ctx.out().finalPath("labels"));
    events.unpersist();
  }
}
