package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.LazyFlatMap;
import org.parallax.common.LocalCopies;

/**
 * Distributed ContextGNN inference: a {@code mapPartitions} function that loads the model once
 * per executor JVM ({@link ContextGnnModel#get}, copied to local disk first when it lives on a
 * cluster file system), reads users in batches and ranks each batch by blocked top-k over the
 * item table. Optionally checks the first users of every partition against a brute-force ranking
 * of every item. Output: {@code method, user_id, rank, item_id, score, familiar, checked}
 * ({@code checked}: on a checked user's rank-1 row, whether the brute-force ranking agreed, ids
 * and scores; null elsewhere). No accumulators: a retried task would count twice, so a job's
 * counters come from its committed output ({@link #checkedUsers}) and its input.
 */
public final class ContextGnnScoring {
  public static final String MERGED = "contextgnn";
  public static final String TOWER = "contextgnn_two_tower";
  public static final String PAIR = "contextgnn_pairwise";
  static final StructType SCHEMA = new StructType().add("method", DataTypes.StringType)
      .add("user_id", DataTypes.LongType).add("rank", DataTypes.IntegerType)
      .add("item_id", DataTypes.LongType).add("score", DataTypes.FloatType)
      .add("familiar", DataTypes.BooleanType).add("checked", DataTypes.BooleanType);

  /**
   * Users scored, users checked by brute force and mismatches, from a committed
   * recommendations output: exact however often tasks were retried.
   */
  public static long[] checkedUsers(Dataset<Row> recommendations) {
    Row r = recommendations.filter(col("method").equalTo(MERGED).and(col("rank").equalTo(1)))
        .agg(count(lit(1)), count(col("checked")),
            sum(when(col("checked").equalTo(false), 1L).otherwise(0L)))
        .first();
    return new long[] {r.getLong(0), r.getLong(1), r.isNullAt(2) ? 0 : r.getLong(2)};
  }

  /**
   * Users without history and familiar items the model does not know, from the scoring input
   * ({@link #usersAt}) and the model's catalogue: relational counts, exact under retries.
   */
  public static long[] inputCounts(SparkSession spark, Dataset<Row> users, String trainOutput) {
    long[] ids = ContextGnnModel.catalogueIds(localModel(spark, trainOutput));
    List<Long> list = new ArrayList<>(ids.length);
    for (long id : ids) {
      list.add(id);
    }
    Dataset<Row> catalogue = spark.createDataset(list, Encoders.LONG()).toDF("item_id")
        .withColumn("known", lit(true));
    // One pass over the input: a user without familiar items explodes to one null row.
    Row r = users.select(functions.explode_outer(col("familiar")).as("p"))
        .select(col("p.item_id").as("item_id"))
        .join(functions.broadcast(catalogue), new String[] {"item_id"}, "left")
        .agg(sum(when(col("item_id").isNull(), 1L).otherwise(0L)),
            sum(when(col("item_id").isNotNull().and(col("known").isNull()), 1L).otherwise(0L)))
        .first();
    long withoutHistory = r.isNullAt(0) ? 0 : r.getLong(0);
    long unknown = r.isNullAt(1) ? 0 : r.getLong(1);
    return new long[] {withoutHistory, unknown};
  }

  /** The file in a model directory that holds its content checksum, written by train. */
  public static final String FINGERPRINT = org.parallax.common.DirectoryChecksum.FINGERPRINT;

  /**
   * Settings of a scoring run.
   *
   * @param fingerprint the model's content checksum, or null for a model trained before
   *     fingerprints (then loaded unverified, keyed by path)
   * @param itemFeatures the catalogue's {@link ItemFeatures} at the scoring cutoff ({@code items
   *     x SIZE}, catalogue-sized: shipped with the task)
   */
  public record Settings(String modelDir, String fingerprint, int k, int batchUsers,
      int blockItems, boolean halves, int verifyPerPartition, float[] itemFeatures)
      implements java.io.Serializable {

    /**
     * Settings for the model of {@code trainOutput}, its fingerprint read and its item features
     * at {@code cutoff} computed from {@code edges} on the driver.
     */
    public static Settings of(SparkSession spark, String trainOutput, Dataset<Row> edges,
        java.sql.Timestamp cutoff, int k, int batchUsers, int blockItems, boolean halves,
        int verifyPerPartition) {
      return new Settings(ContextGnnScoring.modelDir(trainOutput),
          ContextGnnScoring.fingerprint(spark, trainOutput), k, batchUsers,
          blockItems, halves, verifyPerPartition,
          ContextGnnScoring.itemFeatures(spark, trainOutput, edges, cutoff));
    }
  }

  /** The model's catalogue's {@link ItemFeatures} at {@code cutoff}. */
  static float[] itemFeatures(SparkSession spark, String trainOutput, Dataset<Row> edges,
      java.sql.Timestamp cutoff) {
    java.nio.file.Path local = localModel(spark, trainOutput);
    return ItemStatistics.at(edges, cutoff, ContextGnnConfig.read(local).windowDays(),
        ContextGnnModel.catalogueIds(local));
  }

  /** The fingerprint {@code recsys train} wrote, or null when the model has none. */
  static String fingerprint(SparkSession spark, String trainOutput) {
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(modelDir(trainOutput), FINGERPRINT);
    try {
      org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return null;
      }
      try (java.io.InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot read " + p, e);
    }
  }

  private ContextGnnScoring() {}

  /** The model directory of a {@code recsys train} output. */
  public static String modelDir(String trainOutput) {
    return trainOutput + "/model";
  }

  /** The model's config, read on the driver. */
  public static ContextGnnConfig config(SparkSession spark, String trainOutput) {
    return ContextGnnConfig.read(localModel(spark, trainOutput));
  }

  /** The model directory on local disk, keyed by its fingerprint (or a fresh copy's checksum). */
  static java.nio.file.Path localModel(SparkSession spark, String trainOutput) {
    return LocalCopies.localize(modelDir(trainOutput), fingerprint(spark, trainOutput),
        spark.sparkContext().hadoopConfiguration(), LocalCopies.defaultLocalRoot());
  }

  /**
   * Ranks users.
   *
   * @param users {@code user_id, familiar} (familiar as {@link LocalSubgraph#nested}, null for
   *     a user without history)
   */
  public static Dataset<Row> recommend(SparkSession spark, Dataset<Row> users, Settings s) {
    SerializableConfiguration conf =
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    MapPartitionsFunction<Row, Row> f = rows -> {
      ContextGnnModel model = ContextGnnModel.get(LocalCopies.localize(s.modelDir(),
          s.fingerprint(), conf.value(), LocalCopies.defaultLocalRoot()), s.fingerprint());
      int[] verifyLeft = {s.verifyPerPartition()};
      return new LazyFlatMap<>(chunks(rows, s.batchUsers()),
          chunk -> score(model, chunk, s, verifyLeft));
    };
    return users.select("user_id", "familiar").mapPartitions(f, Encoders.row(SCHEMA));
  }

  private static List<Row> score(ContextGnnModel model, List<Row> chunk, Settings s,
      int[] verifyLeft) {
    UserBatch batch = new UserBatch(chunk.size(), model.config().fanout());
    for (Row r : chunk) {
      batch.addUser();
      List<Row> familiar = r.isNullAt(1) ? List.of() : r.getList(1);
      for (Row p : familiar) {
        int item = model.index(p.getLong(1));
        if (item < 0) {
          continue;
        }
        batch.addFamiliar(item, p.getDouble(3), p.getLong(2), p.getDouble(4), p.getInt(0));
      }
    }
    Recommendations[] recs = model.recommend(batch, s.k(), s.blockItems(), s.itemFeatures());
    Boolean[] checked = new Boolean[recs.length];
    if (verifyLeft[0] > 0) {
      Recommendations[] brute = model.bruteForce(batch, s.k(), s.itemFeatures());
      int n = Math.min(verifyLeft[0], recs.length);
      for (int u = 0; u < n; u++) {
        checked[u] = recs[u].agrees(brute[u], Recommendations.SCORE_TOLERANCE);
      }
      verifyLeft[0] -= n;
    }
    List<Row> out = new ArrayList<>();
    for (int u = 0; u < chunk.size(); u++) {
      long user = chunk.get(u).getLong(0);
      Recommendations r = recs[u];
      for (int i = 0; i < r.items().length; i++) {
        out.add(RowFactory.create(MERGED, user, i + 1, model.itemId(r.items()[i]),
            r.scores()[i], r.familiar()[i], i == 0 ? checked[u] : null));
      }
      if (s.halves()) {
        for (int i = 0; i < r.towerItems().length; i++) {
          out.add(RowFactory.create(TOWER, user, i + 1, model.itemId(r.towerItems()[i]), null,
              false, null));
        }
        for (int i = 0; i < r.pairItems().length; i++) {
          out.add(RowFactory.create(PAIR, user, i + 1, model.itemId(r.pairItems()[i]), null,
              true, null));
        }
      }
    }
    return out;
  }

  /** The rows of an iterator in lists of {@code size}. */
  static Iterator<List<Row>> chunks(Iterator<Row> rows, int size) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public List<Row> next() {
        if (!rows.hasNext()) {
          throw new NoSuchElementException();
        }
        List<Row> chunk = new ArrayList<>(size);
        while (rows.hasNext() && chunk.size() < size) {
          chunk.add(rows.next());
        }
        return chunk;
      }
    };
  }

  /** The familiar items at {@code cutoff} of {@code users} ({@code user_id}). */
  public static Dataset<Row> usersAt(Dataset<Row> edges, Dataset<Row> users,
      java.sql.Timestamp cutoff, ContextGnnConfig config) {
    Dataset<Row> cutoffs = users.select("user_id").distinct()
        .withColumn("window", org.apache.spark.sql.functions.lit(0))
        .withColumn("cutoff", org.apache.spark.sql.functions.lit(cutoff));
    Dataset<Row> nested = LocalSubgraph.nested(LocalSubgraph.pairs(edges, cutoffs,
        config.fanout(), config.halfLifeDays()));
    return cutoffs.join(nested, new String[] {"user_id", "window"}, "left")
        .select("user_id", "familiar");
  }

}
