package org.parallax.recsys;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.parallax.common.InputFormat;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.TableReader;
import org.parallax.common.TimestampParsing;

/**
 * {@code recsys graph}: the user-item interaction graph as GraphFrames-shaped DataFrames, so
 * {@code GraphFrame(vertices, edges)} takes them as they are:
 * <ul>
 *   <li>{@code dictionary/users}, {@code dictionary/items}: the {@link IdDictionary} of each
 *       entity type, original ids (any text) to the dense ids 0..n-1 every later stage uses;
 *   <li>{@code vertices}: {@code id} ({@code u<dense user id>} or {@code i<dense item id>}, one
 *       id space), {@code type}, {@code original_id}, {@code degree}, {@code first_ts},
 *       {@code last_ts} and the attributes of the optional user and item tables;
 *   <li>{@code edges}: {@code src}, {@code dst}, {@code ts}, {@code weight}, {@code user_seq}
 *       (1 for the user's most recent event);
 *   <li>{@code labels}: the {@link TemporalSplit}, partitioned by split, in dense and original ids.
 * </ul>
 * Ids are trimmed text; empty ids and unparsable timestamps are quarantined with the raw value
 * and a reason. Duplicate events (same user, item and time) are kept once and counted; with an
 * item table, events on items it does not list are quarantined with reason
 * {@code unknown item_id}.
 */
public final class GraphJob implements Job<GraphOptions> {
  @Override
  public String name() {
    return "recsys graph";
  }

  @Override
  public java.util.List<String> inputs(GraphOptions o) {
    return java.util.Arrays.asList(o.interactions(), o.users(), o.items());
  }

  @Override
  public void run(JobContext ctx, GraphOptions o) {
    TimestampParsing.corrected(ctx.spark(), () -> {
      build(ctx, o);
      return null;
    });
  }

  private static void build(JobContext ctx, GraphOptions o) {
    TableReader reader = ctx.reader();
    // The accepted rows are counted in the reader's own pass over the log.
    TableReader.Read log = reader.read(o.interactions(),
        InputFormat.of(o.interactions(), o.format()),
        InteractionSchema.get(o.timestamps()).withAliases(o.columns()),
        count(when(TableReader.wellFormed(), 1)));
    Dataset<Row> read = trimmed(log.accepted(), "user_id");
    Dataset<Row> users = o.users() == null ? null : trimmed(reader.read(o.users(),
        InputFormat.of(o.users(), o.format()), InteractionSchema.entities("users", "user_id")),
        "user_id");
    Dataset<Row> items = o.items() == null ? null : trimmed(reader.read(o.items(),
        InputFormat.of(o.items(), o.format()), InteractionSchema.entities("items", "item_id")),
        "item_id");
    Dataset<Row> valid = trimmed(read, "item_id")
        .withColumn("weight", coalesce(col("weight"), lit(1.0)));
    long validRows = log.aggregates().getLong(0);
    if (items != null) {
      Dataset<Row> ids = items.select("item_id").distinct();
      validRows -= quarantineUnknownItems(ctx, valid, ids);
      valid = valid.join(ids, valid.col("item_id").equalTo(ids.col("item_id")), "left_semi");
    }
    Dataset<Row> deduped = valid.dropDuplicates("user_id", "item_id", "ts").cache();
    // One aggregation fills the cache and gives every figure of the report and the split.
    Row stats = deduped.agg(count(lit(1)), min("ts"), max("ts"), countDistinct("user_id"),
        countDistinct("item_id")).first();
    long kept = stats.getLong(0);
    ctx.report().count("duplicate_events_dropped", validRows - kept).count("edges", kept);
    Dataset<Row> events = dense(deduped, dictionary(ctx, deduped, "user_id", "users"),
        dictionary(ctx, deduped, "item_id", "items")).cache();

    Dataset<Row> edges = events.select(concat(lit("u"), col("user_id")).as("src"),
        concat(lit("i"), col("item_id")).as("dst"), col("ts"), col("weight"),
        row_number().over(Window.partitionBy("user_id").orderBy(col("ts").desc(),
            col("item_id"))).as("user_seq"));
    ctx.report().time("edges", () -> edges.write().parquet(ctx.out().path("edges")));
    deduped.unpersist();
    Dataset<Row> vertices = vertices(events, "user_id", "u", "user", users)
        .unionByName(vertices(events, "item_id", "i", "item", items), true);
    ctx.report().time("vertices", () -> vertices.write().parquet(ctx.out().path("vertices")));

    Timestamp last = stats.getTimestamp(2);
    TemporalSplit split = new TemporalSplit(last.getTime() / 1000, o.windowDays(),
        o.trainWindows());
    ctx.report().count("users", stats.getLong(3)).count("items", stats.getLong(4))
        .metric("first_ts", stats.getTimestamp(1).toInstant().toString())
        .metric("last_ts", last.toInstant().toString())
        .metric("mean_user_degree", (double) kept / stats.getLong(3))
        .metric("mean_item_degree", (double) kept / stats.getLong(4))
        .metric("test_cutoff", new Timestamp(split.testCutoff() * 1000).toInstant().toString())
        .metric("train_cutoffs_with_history", LogSpan.of(stats.getTimestamp(1), last)
            .trainCutoffsWithHistory(o.windowDays(), o.trainWindows()));
    ctx.report().time("labels", () -> split.labels(events).write().partitionBy("split")
        .parquet(ctx.out().path("labels")));
    // At most three rows, put in order here: a Spark sort would sample them in a job of its own.
    List<Row> perSplit = new ArrayList<>(ctx.spark().read().parquet(ctx.out().path("labels"))
        .groupBy("split").agg(count(lit(1)), avg(size(col("label_items")))).collectAsList());
    perSplit.sort(Comparator.comparing(r -> r.getString(0)));
    for (Row r : perSplit) {
      ctx.report().count("labelled_users_" + r.getString(0), r.getLong(1));
      ctx.report().metric("mean_labels_" + r.getString(0), r.getDouble(2));
    }
    ctx.report().output("vertices", ctx.out().finalPath("vertices"))
        .output("edges", ctx.out().finalPath("edges"))
        .output("labels", ctx.out().finalPath("labels"));
    events.unpersist();
  }

  /** {@code df} with its id column trimmed of surrounding white space. */
  private static Dataset<Row> trimmed(Dataset<Row> df, String idColumn) {
    return df.withColumn(idColumn, trim(col(idColumn)));
  }

  /** Writes the dictionary of {@code column} under {@code dictionary/<entity>}; returns it. */
  private static Dataset<Row> dictionary(JobContext ctx, Dataset<Row> events, String column,
      String entity) {
    String path = IdDictionary.DIR + "/" + entity;
    Dataset<Row> dictionary = IdDictionary.build(events, column);
    ctx.report().time("dictionary " + entity, () -> dictionary.write()
        .parquet(ctx.out().path(path)));
    // Read back with the schema it was written with: inferring it would take a Spark job.
    Dataset<Row> written = ctx.spark().read().schema(dictionary.schema())
        .parquet(ctx.out().path(path));
    ctx.report().output("dictionary_" + entity, ctx.out().finalPath(path));
    return written;
  }

  /**
   * Events with dense {@code user_id} and {@code item_id}, their original ids kept as
   * {@code original_user_id} and {@code original_item_id}.
   */
  private static Dataset<Row> dense(Dataset<Row> events, Dataset<Row> users, Dataset<Row> items) {
    return events.withColumnRenamed("user_id", "original_user_id")
        .withColumnRenamed("item_id", "original_item_id")
        .join(users.select(col(IdDictionary.ORIGINAL).as("original_user_id"),
            col(IdDictionary.DENSE).as("user_id")), "original_user_id")
        .join(items.select(col(IdDictionary.ORIGINAL).as("original_item_id"),
            col(IdDictionary.DENSE).as("item_id")), "original_item_id");
  }

  /** One vertex per user (or item) with its original id, degree, time span and attributes. */
  private static Dataset<Row> vertices(Dataset<Row> events, String idColumn, String prefix,
      String type, Dataset<Row> attributes) {
    String original = "original_" + idColumn;
    Dataset<Row> v = events.groupBy(idColumn, original).agg(count(lit(1)).as("degree"),
        min("ts").as("first_ts"), max("ts").as("last_ts"));
    if (attributes != null) {
      Dataset<Row> a = attributes.dropDuplicates(idColumn);
      v = v.join(a, v.col(original).equalTo(a.col(idColumn)), "left").drop(a.col(idColumn));
    }
    return v.withColumn("id", concat(lit(prefix), col(idColumn))).withColumn("type", lit(type))
        .withColumnRenamed(original, IdDictionary.ORIGINAL).drop(idColumn);
  }

  /**
   * Quarantines events on items the item table ({@code ids}: its distinct ids) does not list;
   * returns how many.
   */
  private static long quarantineUnknownItems(JobContext ctx, Dataset<Row> events,
      Dataset<Row> ids) {
    Dataset<Row> unknown = events.join(ids, events.col("item_id").equalTo(ids.col("item_id")),
        "left_anti").withColumn(TableReader.REASON, lit("unknown item_id"));
    String path = "_quarantine/interactions_unknown_items";
    unknown.write().parquet(ctx.out().path(path));
    long n = ctx.spark().read().schema(unknown.schema()).parquet(ctx.out().path(path)).count();
    ctx.report().count("unknown_item_events_quarantined", n);
    return n;
  }
}
