package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.row_number;

import java.sql.Timestamp;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * The baselines ContextGNN is measured against, each a top-k list per user from the
 * interactions up to the cutoff ({@code method, user_id, rank, item_id}): global popularity in the
 * window before the cutoff, past visits (the user's own items, most recent first: the familiar
 * items alone), and MLlib ALS with implicit feedback (a two-tower model of factors).
 */
final class Baselines {
  static final int ALS_CHECKPOINT_INTERVAL = 5;
  /** Ratings per ALS block, below MLlib's default of {@value #ALS_MAX_BLOCKS} blocks. */
  static final long ALS_RATINGS_PER_BLOCK = 200_000;
  /** MLlib's default number of user (and item) blocks: the most used here. */
  static final int ALS_MAX_BLOCKS = 10;
  private Baselines() {}

  static Dataset<Row> popularity(Dataset<Row> history, Dataset<Row> users, Timestamp cutoff,
      int windowDays, int k) {
    Timestamp from = new Timestamp(cutoff.getTime() - windowDays * 86_400_000L);
    // The k most popular items, ranked in SQL (a k-row global window), joined to every user.
    Dataset<Row> top = history.filter(col("ts").gt(lit(from))).groupBy("item_id")
        .agg(count(lit(1)).as("n")).orderBy(col("n").desc(), col("item_id")).limit(k)
        .withColumn("rank", row_number().over(Window.orderBy(col("n").desc(), col("item_id"))))
        .select("rank", "item_id");
    return users.select("user_id").crossJoin(top)
        .select(lit("popularity").as("method"), col("user_id"), col("rank"), col("item_id"));
  }

  static Dataset<Row> pastVisits(Dataset<Row> history, Dataset<Row> users, int k) {
    return history.join(users.select("user_id"), "user_id")
        .groupBy("user_id", "item_id").agg(max("ts").as("last"))
        .withColumn("rank", row_number().over(Window.partitionBy("user_id")
            .orderBy(col("last").desc(), col("item_id"))))
        .filter(col("rank").leq(k))
        .select(lit("past_visits").as("method"), col("user_id"), col("rank"), col("item_id"));
  }

  /**
   * MLlib's implicit ALS for the labelled users. Its factors are checkpointed every {@value
   * #ALS_CHECKPOINT_INTERVAL} iterations under {@code checkpointDir} (the caller removes it): an
   * RDD lineage growing with every iteration overflowed the task threads' stacks when the tasks
   * were deserialised (StackOverflowError at --als-iterations 40 on any log). The user and item
   * blocks follow the number of (user, item) pairs, one per {@value #ALS_RATINGS_PER_BLOCK} up to
   * MLlib's default: a small log in 10 blocks spent two thirds of ALS's time scheduling tasks.
   * The pairs are aggregated once, for the count and the fit.
   * The count is the input's, not the cluster's, so a log gets the same factors everywhere.
   */
  static Dataset<Row> als(Dataset<Row> history, Dataset<Row> users, int k, int rank,
      int iterations, long seed, String checkpointDir) {
    history.sparkSession().sparkContext().setCheckpointDir(checkpointDir);
    Dataset<Row> ratings = history.groupBy("user_id", "item_id").agg(count(lit(1)).as("n"))
        .select(col("user_id").cast("int").as("user"), col("item_id").cast("int").as("item"),
            col("n").cast("float").as("rating")).cache();
    ALSModel model = new ALS().setImplicitPrefs(true).setRank(rank).setMaxIter(iterations)
        .setCheckpointInterval(ALS_CHECKPOINT_INTERVAL).setNumBlocks(blocks(ratings.count()))
        .setRegParam(0.05).setAlpha(10.0).setSeed(seed).setColdStartStrategy("drop")
        .setUserCol("user").setItemCol("item").setRatingCol("rating").fit(ratings);
    ratings.unpersist();
    Dataset<Row> subset = users.select(col("user_id").cast("int").as("user"));
    return model.recommendForUserSubset(subset, k)
        .select(col("user"), posexplode(col("recommendations")).as(new String[] {"pos", "rec"}))
        .select(lit("als").as("method"), col("user").cast("long").as("user_id"),
            col("pos").plus(1).as("rank"), col("rec.item").cast("long").as("item_id"));
  }

  /** ALS's user (and item) blocks for {@code pairs} (user, item) pairs: 1 to the default. */
  static int blocks(long pairs) {
    return (int) Math.max(1, Math.min(ALS_MAX_BLOCKS,
        (pairs + ALS_RATINGS_PER_BLOCK - 1) / ALS_RATINGS_PER_BLOCK));
  }
}
