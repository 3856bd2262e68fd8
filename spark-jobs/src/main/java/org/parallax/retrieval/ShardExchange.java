package org.parallax.retrieval;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.encode;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * The index build's exchange: shard i's rows to partition i, sorted by id in
 * {@link String#compareTo} order (the key {@link ShardOrder} sorts a shard's documents by: the id
 * in UTF-16BE), as Spark SQL rows. Spark's own shuffle and sorter keep the rows in their binary
 * form throughout (large pages, not a Java object per passage held until the sort ends), where a
 * Java sort of the rows held every shard's passages as objects until its build began.
 *
 * <p>Spark SQL hash-partitions {@code repartition(n, e)} to {@code pmod(murmur3(e, 42), n)}; the
 * exchange partitions by a per-shard integer chosen so that this is the shard
 * ({@link #partitionValues}). {@link ShardBuilder} fails when a row arrives in another partition
 * than its shard, should Spark ever partition otherwise. The number of partitions is the user's
 * ({@code REPARTITION_BY_NUM}), which adaptive execution does not coalesce.
 */
final class ShardExchange {
  /** Spark SQL's seed of {@code hash()}, with which it hash-partitions. */
  private static final int SPARK_HASH_SEED = 42;
  /** The column added (last) with the sort key: the id in {@link ShardOrder#KEY_CHARSET}. */
  static final String ORDER = "_order";

  private ShardExchange() {}

  /**
   * {@code rows} (with an int column {@code shard} in {@code [0, shards)} and a string column
   * {@code id}) in {@code shards} partitions, shard i's rows in partition i, sorted by id.
   */
  static Dataset<Row> sorted(Dataset<Row> rows, int shards) {
    Column[] values = Arrays.stream(partitionValues(shards)).mapToObj(v -> lit(v))
        .toArray(Column[]::new);
    Column partition = element_at(array(values), col("shard").plus(1));
    // The sort key as a column: Spark's sorter compares by evaluating its key expressions, so an
    // expression there would be evaluated (and the id encoded) at every comparison.
    return rows.withColumn(ORDER, encode(col("id"), ShardOrder.KEY_CHARSET.name())).repartition(shards, partition)
        .sortWithinPartitions(ORDER);
  }

  /**
   * For each shard i, the smallest non-negative int whose Spark SQL hash lands in partition i of
   * {@code shards}.
   */
  static int[] partitionValues(int shards) {
    int[] values = new int[shards];
    boolean[] found = new boolean[shards];
    int missing = shards;
    for (int v = 0; missing > 0; v++) {
      int p = Math.floorMod(Murmur3_x86_32.hashInt(v, SPARK_HASH_SEED), shards);
      if (!found[p]) {
        found[p] = true;
        values[p] = v;
        missing--;
      }
    }
    return values;
  }
}
