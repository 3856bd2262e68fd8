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
 * Interaction logs with two planted signals, so that both halves of ContextGNN matter:
 * <ul>
 *   <li>repeat consumption: with probability {@code P_REPEAT} an event re-consumes one of the user's
 *       last {@code RECENT} items, recency-weighted (the "familiar item" signal);
 *   <li>co-preference clusters: each user and item belongs to one of C clusters; otherwise an event
 *       picks, with probability {@code P_CLUSTER}, a Zipf-popular item of the user's cluster (the
 *       two-tower signal), else a globally Zipf-popular item (the popularity baseline's signal).
 * </ul>
 * Writes {@code users/}, {@code items/}, {@code interactions/} and the ground truth
 * ({@code truth/user_clusters/}, {@code truth/item_clusters/}, {@code truth.json}). Every user's
 * events come from that user's own random stream, so output is identical for any partitioning.
 */
public final class RecsysGenerator {
  static final double P_REPEAT = 0.35;
  static final double P_CLUSTER = 0.5;
  static final int RECENT = 10;
  static final long START_EPOCH = 1_704_067_200L; // 2024-01-01T00:00:00Z
  static final int DAYS = 365;

  /** Sizes derived from the number of interactions. */
  record Sizes(long interactions, long users, int items, int clusters)
      implements java.io.Serializable {
    static Sizes of(long interactions) {
      long users = Math.max(20, interactions / 25);
      int items = (int) Math.min(2_000_000, Math.max(50, interactions / 100));
      int clusters = Math.max(4, Math.min(64, items / 40));
      return new Sizes(interactions, users, items, clusters);
    }

    double meanEvents() {
      return (double) interactions / users;
    }
  }

  private RecsysGenerator() {}

  public static void generate(JobContext ctx, DatagenOptions o) {
    SparkSession spark = ctx.spark();
    Sizes s = Sizes.of(o.scale());
    long seed = ctx.options().seed();
    int parts = Seeds.partitions(o.scale(), spark.sparkContext().defaultParallelism());

    Dataset<Long> userIds = spark.range(0, s.users(), 1, parts).as(Encoders.LONG());
    Dataset<Long> itemIds = spark.range(0, s.items(), 1,
        Math.max(1, Math.min(parts, s.items() / 100_000 + 1))).as(Encoders.LONG());

    StructType users = new StructType().add("user_id", DataTypes.LongType, false)
        .add("region", DataTypes.StringType, false);
    StructType items = new StructType().add("item_id", DataTypes.LongType, false)
        .add("category", DataTypes.IntegerType, false)
        .add("price_bucket", DataTypes.IntegerType, false);
    StructType clusters = new StructType().add("id", DataTypes.LongType, false)
        .add("cluster", DataTypes.IntegerType, false);
    StructType events = new StructType().add("user_id", DataTypes.LongType, false)
        .add("item_id", DataTypes.LongType, false)
        .add("ts", DataTypes.TimestampType, false);

    ctx.report().time("users", () -> TableWriter.write(userIds.map(
        (MapFunction<Long, Row>) u -> RowFactory.create(u,
            "r" + Seeds.stream(seed, 1, u).nextInt(8)), Encoders.row(users)),
        o.format(), ctx.out().path("users")));
    ctx.report().time("items", () -> TableWriter.write(itemIds.map(
        (MapFunction<Long, Row>) i -> itemRow(seed, i, s.clusters()), Encoders.row(items)),
        o.format(), ctx.out().path("items")));
    ctx.report().time("truth", () -> {
      userIds.map((MapFunction<Long, Row>) u -> RowFactory.create(u,
          userCluster(seed, u, s.clusters())), Encoders.row(clusters))
          .withColumnRenamed("id", "user_id").write().parquet(ctx.out().path("truth/user_clusters"));
      itemIds.map((MapFunction<Long, Row>) i -> RowFactory.create(i,
          (int) (i % s.clusters())), Encoders.row(clusters))
          .withColumnRenamed("id", "item_id").write().parquet(ctx.out().path("truth/item_clusters"));
    });
    Zipf global = new Zipf(s.items(), 1.0);
    Zipf withinCluster = new Zipf((s.items() + s.clusters() - 1) / s.clusters(), 0.8);
    ctx.report().time("interactions", () -> TableWriter.write(userIds.flatMap(
        (FlatMapFunction<Long, Row>) u -> userEvents(seed, u, s, global, withinCluster).iterator(),
        Encoders.row(events)), o.format(), ctx.out().path("interactions")));

    long written = spark.read().schema(events).format(o.format().equals("jsonl") ? "json"
        : o.format()).option("header", "true").load(ctx.out().path("interactions")).count();
    ctx.report().count("users", s.users()).count("items", s.items())
        .count("clusters", s.clusters()).count("interactions", written);
    Map<String, Object> truth = new LinkedHashMap<>();
    truth.put("area", "recsys");
    truth.put("seed", seed);
    truth.put("users", s.users());
    truth.put("items", s.items());
    truth.put("clusters", s.clusters());
    truth.put("interactions", written);
    truth.put("p_repeat", P_REPEAT);
    truth.put("p_cluster", P_CLUSTER);
    truth.put("p_global", (1 - P_REPEAT) * (1 - P_CLUSTER));
    truth.put("recent_window", RECENT);
    truth.put("start", new Timestamp(START_EPOCH * 1000).toInstant().toString());
    truth.put("days", DAYS);
    truth.put("item_cluster_rule", "item_id % clusters");
    ctx.out().writeText("truth.json", Json.write(truth));
  }

  static Row itemRow(long seed, long item, int clusters) {
    SplittableRandom r = Seeds.stream(seed, 2, item);
    int home = (int) (item % clusters);
    int category = r.nextDouble() < 0.9 ? home : r.nextInt(clusters);
    return RowFactory.create(item, category, r.nextInt(5));
  }

  static int userCluster(long seed, long user, int clusters) {
    return Seeds.stream(seed, 3, user).nextInt(clusters);
  }

  static List<Row> userEvents(long seed, long user, Sizes s, Zipf global, Zipf withinCluster) {
    SplittableRandom r = Seeds.stream(seed, 4, user);
    int cluster = userCluster(seed, user, s.clusters());
    int n = Math.max(1, (int) Math.round(s.meanEvents() * (0.5 + r.nextDouble())));
    long[] times = new long[n];
    for (int i = 0; i < n; i++) {
      times[i] = START_EPOCH + (long) (r.nextDouble() * DAYS * 86_400L);
    }
    Arrays.sort(times);
    List<Long> history = new ArrayList<>();
    List<Row> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      long item;
      if (!history.isEmpty() && u < P_REPEAT) {
        item = recent(history, r);
      } else if (u < P_REPEAT + (1 - P_REPEAT) * P_CLUSTER) {
        long k = withinCluster.sample(r);
        item = Math.min(cluster + k * s.clusters(), lastOfCluster(cluster, s));
      } else {
        item = global.sample(r);
      }
      history.add(item);
      out.add(RowFactory.create(user, item, new Timestamp(times[i] * 1000)));
    }
    return out;
  }

  /** One of the last RECENT distinct items, the most recent most likely. */
  private static long recent(List<Long> history, SplittableRandom r) {
    List<Long> distinct = new ArrayList<>();
    for (int i = history.size() - 1; i >= 0 && distinct.size() < RECENT; i--) {
      if (!distinct.contains(history.get(i))) {
        distinct.add(history.get(i));
      }
    }
    int pick = 0;
    while (pick < distinct.size() - 1 && r.nextDouble() < 0.5) {
      pick++;
    }
    return distinct.get(pick);
  }

  private static long lastOfCluster(int cluster, Sizes s) {
    return cluster + ((s.items() - 1L - cluster) / s.clusters()) * s.clusters();
  }
}
