package org.parallax.recsys;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.JobFailedException;

/**
 * The map between an entity's ids as the user has them (any text: numbers, SKUs, product names,
 * ids with leading zeros) and the dense ids 0..n-1 every recsys stage after {@code recsys graph}
 * works on (graph vertices, features, the model's catalogue, ALS). {@code recsys graph} builds one
 * per entity type and writes it beside the graph ({@code dictionary/users},
 * {@code dictionary/items}: {@code original_id} string, {@code dense_id} long); outputs a person
 * reads are translated back through it.
 *
 * <p>Built in DataFrame operators, never collected: each id hashes into one of {@link #BUCKETS}
 * buckets, is ranked by its text inside the bucket, and its dense id is the rank plus the sizes
 * of the buckets before it (a running sum over one row per bucket). So the dense ids depend only
 * on the set of ids, not on partitioning or the order rows arrive in.
 */
public final class IdDictionary {
  public static final String ORIGINAL = "original_id";
  public static final String DENSE = "dense_id";
  /** The dictionaries' directory inside a graph. */
  public static final String DIR = "dictionary";
  static final int BUCKETS = 1024;
  /**
   * The dictionaries' schema: they are read with it, as a schema inferred from the files would
   * cost a Spark job per read.
   */
  static final StructType SCHEMA = new StructType().add(ORIGINAL, DataTypes.StringType)
      .add(DENSE, DataTypes.LongType);

  private IdDictionary() {}

  /** {@code original_id, dense_id} of the distinct non-null values of {@code ids}' column. */
  public static Dataset<Row> build(Dataset<Row> ids, String column) {
    // One shuffle, by bucket: the distinct, the rank in the bucket and the bucket sizes all run
    // on that partitioning (a bucket is a function of the id), with no exchange of their own.
    Dataset<Row> ranked = ids.select(col(column).cast("string").as(ORIGINAL))
        .filter(col(ORIGINAL).isNotNull())
        .withColumn("bucket", pmod(xxhash64(col(ORIGINAL)), lit((long) BUCKETS)))
        .repartition(col("bucket")).distinct()
        .withColumn("rank", row_number().over(Window.partitionBy("bucket").orderBy(ORIGINAL)));
    // One row per bucket: the running sum is meant to run in one partition.
    Dataset<Row> offsets = ranked.groupBy("bucket").agg(count(lit(1)).as("n"))
        .withColumn("offset", sum("n").over(Window.partitionBy(lit(0)).orderBy("bucket"))
            .minus(col("n")))
        .select("bucket", "offset");
    return ranked.join(broadcast(offsets), "bucket")
        .select(col(ORIGINAL), col("offset").plus(col("rank")).minus(1L).as(DENSE));
  }

  /** The path of an entity's dictionary in a graph ({@code users} or {@code items}). */
  public static String path(String graph, String entity) {
    return graph + "/" + DIR + "/" + entity;
  }

  /** An entity's dictionary of a {@code recsys graph} output; fails clearly on an older graph. */
  public static Dataset<Row> read(SparkSession spark, String graph, String entity) {
    Path p = new Path(path(graph, entity));
    try {
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new JobFailedException("graph " + graph + " has no " + DIR + "/" + entity
            + " (the map from original to dense ids); rebuild it with recsys graph");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look up " + p, e);
    }
    return spark.read().schema(SCHEMA).parquet(p.toString());
  }

  /**
   * {@code rows} with {@code user_id} and {@code item_id} (dense ids of {@code graph}) replaced
   * by the original ids (strings), in place: how recommendations are written.
   */
  public static Dataset<Row> inOriginalIds(SparkSession spark, String graph, Dataset<Row> rows) {
    return originals(originals(rows, "user_id", read(spark, graph, "users")), "item_id",
        read(spark, graph, "items"));
  }

  /**
   * {@code rows} with {@code column} (a dense id) replaced by the original id, in place; every
   * dense id is in the dictionary, so no row is lost.
   */
  static Dataset<Row> originals(Dataset<Row> rows, String column, Dataset<Row> dictionary) {
    String original = "_original_" + column;
    Dataset<Row> d = dictionary.select(col(DENSE).as(column), col(ORIGINAL).as(original));
    List<Column> select = new ArrayList<>();
    for (String c : rows.columns()) {
      select.add(c.equals(column) ? col(original).as(column) : col(c));
    }
    return rows.join(d, column).select(select.toArray(Column[]::new));
  }
}
