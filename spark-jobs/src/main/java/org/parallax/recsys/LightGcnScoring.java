package org.parallax.recsys;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.LazyFlatMap;

/**
 * Distributed LightGCN top-k: the labelled users with history, each row carrying its embedding,
 * ranked on the executors by a {@code mapPartitions} that holds the item table (a broadcast,
 * items x dim floats) on the device and ranks users in batches ({@code --batch-users}) by
 * {@link LightGcnRanking}'s exact blocked top-k ({@code --block-items} items at a time). Every
 * item of the history can be recommended, a user's own items included, as with the other
 * baselines. A labelled user without history has no embedding and no recommendations (it scores
 * zero, as with ALS).
 */
final class LightGcnScoring {
  static final String METHOD = "lightgcn";
  private static final StructType USERS = new StructType().add("user_id", DataTypes.LongType)
      .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false));
  private static final StructType OUT = new StructType().add("method", DataTypes.StringType)
      .add("user_id", DataTypes.LongType).add("rank", DataTypes.IntegerType)
      .add("item_id", DataTypes.LongType);

  private LightGcnScoring() {}

  /** The ranking settings executors need besides the item table. */
  record Settings(int dim, int k, int batchUsers, int blockItems)
      implements java.io.Serializable {}

  /** The recommendations, and how many labelled users had no history (no embedding). */
  record Result(Dataset<Row> recommendations, long usersWithoutHistory) {}

  /**
   * Top-k lists ({@code method, user_id, rank, item_id}) for {@code users} ({@code user_id}).
   */
  static Result recommend(SparkSession spark, LightGcnFit fit, Dataset<Row> users, int k,
      int batchUsers, int blockItems) {
    List<Row> rows = new ArrayList<>();
    long without = 0;
    for (Long user : users.select("user_id").distinct().as(Encoders.LONG()).collectAsList()) {
      float[] e = fit.user(user);
      if (e == null) {
        without++;
      } else {
        rows.add(RowFactory.create(user, e));
      }
    }
    // Arrays, not a record: broadcasts go through the session's serializer (Kryo here).
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<float[]> table = sc.broadcast(fit.itemTable());
    Broadcast<long[]> ids = sc.broadcast(fit.itemIds());
    Settings s = new Settings(fit.dim(), k, batchUsers, blockItems);
    MapPartitionsFunction<Row, Row> f = in -> {
      long[] itemIds = ids.value();
      LightGcnRanking ranking = new LightGcnRanking(table.value(), itemIds.length, s.dim());
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener)
            c -> ranking.close());
      }
      return new LazyFlatMap<>(ContextGnnScoring.chunks(in, s.batchUsers()),
          chunk -> rank(ranking, itemIds, chunk, s));
    };
    Dataset<Row> recs = spark.createDataFrame(rows, USERS).mapPartitions(f, Encoders.row(OUT));
    return new Result(recs, without);
  }

  private static List<Row> rank(LightGcnRanking ranking, long[] itemIds, List<Row> chunk,
      Settings s) {
    float[] queries = new float[chunk.size() * s.dim()];
    for (int u = 0; u < chunk.size(); u++) {
      List<Float> e = chunk.get(u).getList(1);
      for (int d = 0; d < s.dim(); d++) {
        queries[u * s.dim() + d] = e.get(d);
      }
    }
    LightGcnRanking.Ranked[] ranked = ranking.rank(queries, chunk.size(), s.k(),
        s.blockItems());
    List<Row> out = new ArrayList<>();
    for (int u = 0; u < chunk.size(); u++) {
      long user = chunk.get(u).getLong(0);
      int[] items = ranked[u].items();
      for (int i = 0; i < items.length; i++) {
        out.add(RowFactory.create(METHOD, user, i + 1, itemIds[items[i]]));
      }
    }
    return out;
  }
}
