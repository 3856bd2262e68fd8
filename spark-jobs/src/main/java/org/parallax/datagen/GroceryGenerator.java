package org.parallax.datagen;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.JobContext;

/**
 * A grocery-like interaction log ({@code datagen recsys --setting grocery}), the hard case for a
 * model against the popularity baseline: a small catalogue ({@code ITEMS}), heavy popularity
 * skew (Zipf, exponent {@code ZIPF}), sparse visits (1 + geometric baskets per user, most users
 * 1-5 baskets over two years), baskets of a few items bought on the same day (timestamps are
 * dates), weak repeats ({@code P_REPEAT} of an item from the user's earlier baskets) and a weak
 * taste for one of {@code CATEGORIES} aisles ({@code P_AISLE}). Same layout as the default
 * setting ({@code users/}, {@code items/}, {@code interactions/}, {@code truth.json}); every
 * user's events come from its own random stream, so output is identical for any partitioning.
 */
public final class GroceryGenerator {
  static final int ITEMS = 200;
  static final int CATEGORIES = 10;
  static final double ZIPF = 1.1;
  static final double P_REPEAT = 0.15;
  static final double P_AISLE = 0.2;
  static final double P_MORE_BASKETS = 0.6;
  static final int MAX_BASKETS = 30;
  static final long START_EPOCH = 1_388_534_400L; // 2014-01-01T00:00:00Z
  static final int DAYS = 730;
  /** Mean events per user: about 2.5 baskets of about 4 items. */
  static final int EVENTS_PER_USER = 10;

  private GroceryGenerator() {}

  public static void generate(JobContext ctx, DatagenOptions o) {
    SparkSession spark = ctx.spark();
    long users = Math.max(20, o.scale() / EVENTS_PER_USER);
    long seed = ctx.options().seed();
    int parts = Seeds.partitions(o.scale(), spark.sparkContext().defaultParallelism());
    Dataset<Long> userIds = spark.range(0, users, 1, parts).as(Encoders.LONG());
    Dataset<Long> itemIds = spark.range(0, ITEMS, 1, 1).as(Encoders.LONG());
    StructType userSchema = new StructType().add("user_id", DataTypes.LongType, false)
        .add("region", DataTypes.StringType, false);
    StructType itemSchema = new StructType().add("item_id", DataTypes.LongType, false)
        .add("category", DataTypes.IntegerType, false)
        .add("price_bucket", DataTypes.IntegerType, false);
    StructType events = new StructType().add("user_id", DataTypes.LongType, false)
        .add("item_id", DataTypes.LongType, false)
        .add("ts", DataTypes.TimestampType, false);
    ctx.report().time("users", () -> TableWriter.write(userIds.map(
        (MapFunction<Long, Row>) u -> RowFactory.create(u,
            "r" + Seeds.stream(seed, 1, u).nextInt(8)), Encoders.row(userSchema)),
        o.format(), ctx.out().path("users")));
    ctx.report().time("items", () -> TableWriter.write(itemIds.map(
        (MapFunction<Long, Row>) i -> RowFactory.create(i, (int) (i % CATEGORIES),
            Seeds.stream(seed, 2, i).nextInt(5)), Encoders.row(itemSchema)),
        o.format(), ctx.out().path("items")));
    Zipf global = new Zipf(ITEMS, ZIPF);
    Zipf aisle = new Zipf(ITEMS / CATEGORIES, ZIPF);
    ctx.report().time("interactions", () -> TableWriter.write(userIds.flatMap(
        (FlatMapFunction<Long, Row>) u -> userEvents(seed, u, global, aisle).iterator(),
        Encoders.row(events)), o.format(), ctx.out().path("interactions")));
    long written = spark.read().schema(events).format(o.format().equals("jsonl") ? "json"
        : o.format()).option("header", "true").load(ctx.out().path("interactions")).count();
    ctx.report().count("users", users).count("items", ITEMS).count("interactions", written);
    Map<String, Object> truth = new LinkedHashMap<>();
    truth.put("area", "recsys");
    truth.put("setting", "grocery");
    truth.put("seed", seed);
    truth.put("users", users);
    truth.put("items", ITEMS);
    truth.put("interactions", written);
    truth.put("zipf_exponent", ZIPF);
    truth.put("p_repeat", P_REPEAT);
    truth.put("p_aisle", P_AISLE);
    truth.put("categories", CATEGORIES);
    truth.put("baskets", "1 + geometric(" + P_MORE_BASKETS + "), at most " + MAX_BASKETS);
    truth.put("start", new Timestamp(START_EPOCH * 1000).toInstant().toString());
    truth.put("days", DAYS);
    ctx.out().writeText("truth.json", Json.write(truth));
  }

  static List<Row> userEvents(long seed, long user, Zipf global, Zipf aisle) {
    SplittableRandom r = Seeds.stream(seed, 4, user);
    int taste = r.nextInt(CATEGORIES);
    int baskets = 1;
    while (baskets < MAX_BASKETS && r.nextDouble() < P_MORE_BASKETS) {
      baskets++;
    }
    long[] days = new long[baskets];
    for (int b = 0; b < baskets; b++) {
      days[b] = r.nextInt(DAYS);
    }
    Arrays.sort(days);
    List<Long> bought = new ArrayList<>();
    List<Row> out = new ArrayList<>();
    for (long day : days) {
      int size = 1 + r.nextInt(3) + r.nextInt(4);
      Timestamp ts = new Timestamp((START_EPOCH + day * 86_400L) * 1000);
      List<Long> basket = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        double u = r.nextDouble();
        long item;
        if (!bought.isEmpty() && u < P_REPEAT) {
          item = bought.get(r.nextInt(bought.size()));
        } else if (u < P_REPEAT + P_AISLE) {
          item = taste + (long) aisle.sample(r) * CATEGORIES;
        } else {
          item = global.sample(r);
        }
        if (!basket.contains(item)) {
          basket.add(item);
          out.add(RowFactory.create(user, item, ts));
        }
      }
      bought.addAll(basket);
    }
    return out;
  }
}
