package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.JobFailedException;

/**
 * The item catalogue a ContextGNN model is trained on: dense item ids ({@link IdDictionary}) in
 * index order (sorted) and, per
 * item attribute of the graph's item vertices, a hashed bucket for the attribute encoder. The
 * model holds one embedding per item, so the catalogue is streamed to the driver (model-sized,
 * not interaction-sized).
 *
 * @param ids item ids, sorted; an item's index is its position
 * @param attributes attribute column names used
 * @param buckets hashed buckets, items x attributes, row-major
 */
public record Catalogue(long[] ids, List<String> attributes, long[] buckets) {
  private static final Set<String> STRUCTURAL = Set.of("id", "type", "degree", "first_ts",
      "last_ts", IdDictionary.ORIGINAL);

  /**
   * Reads the catalogue of a {@code recsys graph} output.
   *
   * @param requested attribute columns, {@code auto} for every attribute the item vertices have,
   *     or {@code none}
   */
  public static Catalogue read(SparkSession spark, String graph, String requested,
      int bucketsPerAttribute) {
    Dataset<Row> vertices = spark.read().parquet(graph + "/vertices")
        .filter(col("type").equalTo("item"));
    List<String> available = new ArrayList<>();
    for (String c : vertices.columns()) {
      if (!STRUCTURAL.contains(c)) {
        available.add(c);
      }
    }
    List<String> attributes = new ArrayList<>();
    if (requested.equals("auto")) {
      attributes.addAll(available);
    } else if (!requested.equals("none")) {
      for (String a : requested.split(",")) {
        if (!available.contains(a.trim())) {
          throw new JobFailedException("graph " + graph + "/vertices: item attribute '" + a.trim()
              + "' not found; item vertices have " + available);
        }
        attributes.add(a.trim());
      }
    }
    List<Column> select = new ArrayList<>();
    select.add(expr("cast(substring(id, 2) as bigint)").as("item_id"));
    for (int a = 0; a < attributes.size(); a++) {
      // Null attributes share bucket 0 of their attribute; others hash into 1..buckets-1.
      Column v = col(attributes.get(a)).cast("string");
      select.add(when(v.isNull(), lit(0L)).otherwise(pmod(xxhash64(lit(attributes.get(a)), v),
          lit(bucketsPerAttribute - 1L)).plus(1L)).as("a" + a));
    }
    // Streamed as stored and sorted here: no Spark count, sort or range sampling for a table
    // that ends on the driver anyway.
    int width = attributes.size();
    long[] ids = new long[1024];
    long[] buckets = new long[1024 * width];
    int n = 0;
    Iterator<Row> it = vertices.select(select.toArray(new Column[0])).toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      if (n == Integer.MAX_VALUE / 2) {
        throw new JobFailedException("graph " + graph + " has more than " + n + " items, more "
            + "than a ContextGNN item table holds");
      }
      if (n == ids.length) {
        int grown = (int) Math.min(2L * n, Integer.MAX_VALUE / 2);
        ids = Arrays.copyOf(ids, grown);
        buckets = Arrays.copyOf(buckets, grown * width);
      }
      ids[n] = r.getLong(0);
      for (int a = 0; a < width; a++) {
        buckets[n * width + a] = a * (long) bucketsPerAttribute + r.getLong(1 + a);
      }
      n++;
    }
    if (n == 0) {
      throw new JobFailedException("graph " + graph + "/vertices has no item vertices");
    }
    return sorted(Arrays.copyOf(ids, n), List.copyOf(attributes), buckets);
  }

  /** The catalogue of {@code ids} in any order, its rows ({@code buckets}) sorted by id. */
  static Catalogue sorted(long[] ids, List<String> attributes, long[] buckets) {
    int width = attributes.size();
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
    long[] sortedIds = new long[ids.length];
    long[] sortedBuckets = new long[ids.length * width];
    for (int i = 0; i < order.length; i++) {
      sortedIds[i] = ids[order[i]];
      System.arraycopy(buckets, order[i] * width, sortedBuckets, i * width, width);
    }
    return new Catalogue(sortedIds, attributes, sortedBuckets);
  }

  /** The catalogue index of {@code itemId}, or -1. */
  public int index(long itemId) {
    int i = Arrays.binarySearch(ids, itemId);
    return i < 0 ? -1 : i;
  }
}
