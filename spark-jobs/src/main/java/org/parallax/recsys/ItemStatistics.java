package org.parallax.recsys;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_timestamp;

import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per cutoff and item, the statistics ContextGNN's {@link ItemFeatures} are made of, from the
 * interactions at or before the cutoff, in DataFrame joins and aggregations: the two-hop
 * aggregates over item → user → item ({@code users}: distinct users, the item's degree;
 * {@code two_hop_paths}: the sum over its users of their other interactions) and the
 * interactions in the popularity window before the cutoff (what the popularity baseline counts).
 * {@code recsys features} writes them per training cutoff; {@code score} and {@code eval} compute
 * them at their one cutoff with the same code, so the model reads the same features everywhere.
 */
public final class ItemStatistics {
  private ItemStatistics() {}

  /** Edges ({@code user_id, item_id, ts}) at or before each cutoff ({@code window, cutoff}). */
  public static Dataset<Row> history(Dataset<Row> edges, Dataset<Row> cutoffs) {
    return edges.crossJoin(broadcast(cutoffs)).filter(col("ts").leq(col("cutoff")));
  }

  /** {@code window, cutoff, item_id, users, two_hop_paths} from {@link #history}. */
  public static Dataset<Row> neighbourhood(Dataset<Row> history) {
    Dataset<Row> userDegree = history.groupBy("window", "user_id").agg(count(lit(1)).as("deg"));
    return history.select("window", "cutoff", "user_id", "item_id")
        .distinct().join(userDegree, new String[] {"window", "user_id"})
        .groupBy("window", "cutoff", "item_id")
        .agg(countDistinct("user_id").as("users"), sum(col("deg").minus(1)).as("two_hop_paths"));
  }

  /** {@code window, cutoff, item_id, interactions} in the {@code windowDays} before the cutoff. */
  public static Dataset<Row> popularity(Dataset<Row> history, int windowDays) {
    return history.filter(unix_timestamp(col("cutoff"))
            .minus(unix_timestamp(col("ts"))).lt(windowDays * 86_400L))
        .groupBy("window", "cutoff", "item_id").agg(count(lit(1)).as("interactions"));
  }

  /**
   * The feature table ({@code contexts x items x SIZE} floats) for the catalogue {@code ids}:
   * context = window number; items a window never saw keep zeros. Catalogue-sized per window,
   * streamed to the driver.
   */
  public static float[] table(Dataset<Row> neighbourhood, Dataset<Row> popularity, long[] ids,
      int contexts) {
    long size = (long) contexts * ids.length * ItemFeatures.SIZE;
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(contexts + " cutoffs x " + ids.length + " items of "
          + "item features exceed one array; use fewer --train-windows");
    }
    float[] out = new float[(int) size];
    Iterator<Row> rows = neighbourhood.select("window", "item_id", "users", "two_hop_paths")
        .join(popularity.select("window", "item_id", "interactions"),
            new String[] {"window", "item_id"}, "left")
        .select(col("window"), col("item_id"), coalesce(col("interactions"), lit(0L)),
            col("users"), col("two_hop_paths"))
        .toLocalIterator();
    while (rows.hasNext()) {
      Row r = rows.next();
      int context = r.getInt(0);
      int item = Arrays.binarySearch(ids, r.getLong(1));
      if (context < 0 || context >= contexts || item < 0) {
        continue;
      }
      ItemFeatures.encode(r.getLong(2), r.getLong(3), r.getLong(4), out,
          (context * ids.length + item) * ItemFeatures.SIZE);
    }
    return out;
  }

  /**
   * The feature table of one cutoff ({@code items x SIZE}) for the catalogue {@code ids}, from
   * {@code edges} ({@code user_id, item_id, ts}).
   */
  public static float[] at(Dataset<Row> edges, java.sql.Timestamp cutoff, int windowDays,
      long[] ids) {
    // A one-row range, not a local table: RAPIDS plans a LocalTableScanExec on the CPU.
    Dataset<Row> cutoffs = edges.sparkSession().range(1).select(lit(0).as("window"),
        lit(cutoff).as("cutoff"));
    Dataset<Row> history = history(edges.select("user_id", "item_id", "ts"), cutoffs);
    return table(neighbourhood(history), popularity(history, windowDays), ids, 1);
  }
}
