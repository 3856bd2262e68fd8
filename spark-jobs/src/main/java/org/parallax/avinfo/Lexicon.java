package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.JobFailedException;

/**
 * A CMUdict-format pronouncing dictionary ({@code WORD PH1 PH2 ...}, stress digits stripped, {@code
 * WORD(2)} variants, comments) and a phone-to-viseme TSV ({@code phone}, then a column per map; a
 * class ending in {@code ?} means no class).
 */
final class Lexicon {
  private Lexicon() {}

  /**
   * {@code word, variant, phones, _reason} of every non-comment line; {@code _reason} is set for
   * lines without phones.
   */
  static Dataset<Row> entries(SparkSession spark, String dictionary) {
    Dataset<Row> lines = spark.read().text(dictionary)
        .select(trim(regexp_replace(col("value"), "#.*$", "")).as("line"))
        .filter(col("line").notEqual("").and(col("line").startsWith(";;;").unary_$bang()));
    Column tokens = split(col("line"), "\\s+");
    return lines.select(
        lower(regexp_replace(tokens.getItem(0), "\\(\\d+\\)$", "")).as("word"),
        regexp_extract(tokens.getItem(0), "\\((\\d+)\\)$", 1).notEqual("").as("variant"),
        expr("transform(slice(split(line, '\\\\s+'), 2, 1000), p -> "
            + "regexp_replace(upper(p), '[0-9]', ''))").as("phones"), col("line"))
        .withColumn("_reason", when(size(col("phones")).equalTo(0),
            lit("no phones after the word")));
  }

  /** Viseme class per phone of each map: map name -> (phone -> class), classless phones left out. */
  static Map<String, Map<String, String>> maps(SparkSession spark, String tsv) {
    Dataset<Row> t = spark.read().option("sep", "\t").option("comment", "#")
        .option("header", "true").csv(tsv);
    List<String> columns = List.of(t.columns());
    if (!columns.contains("phone") || columns.size() < 2) {
      throw new JobFailedException("viseme map " + tsv + ": expected a header 'phone' followed "
          + "by one column per map, found " + columns);
    }
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    List<Row> rows = t.collectAsList(); // a phone inventory: tens of rows
    for (String map : columns) {
      if (map.equals("phone")) {
        continue;
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (Row r : rows) {
        String phone = r.getAs("phone");
        String cls = r.getAs(map);
        if (phone != null && cls != null && !cls.isBlank() && !cls.endsWith("?")) {
          m.put(phone.trim().toUpperCase(), cls.trim());
        }
      }
      out.put(map, m);
    }
    return out;
  }

  /** A literal map column phone -> class, for {@code element_at} inside SQL lambdas. */
  static Column mapColumn(Map<String, String> map) {
    List<Column> kv = new ArrayList<>();
    map.forEach((k, v) -> {
      kv.add(lit(k));
      kv.add(lit(v));
    });
    return org.apache.spark.sql.functions.map(kv.toArray(Column[]::new));
  }

  /** Per map: {entries with a phone the map does not class, those phones (sorted, at most 50)}. */
  static Map<String, Object[]> unknownPhones(Dataset<Row> mapped, java.util.Set<String> maps) {
    Map<String, Object[]> out = new LinkedHashMap<>();
    maps.forEach(m -> out.put(m, new Object[] {0L, List.of()}));
    for (Row r : mapped.filter(col("unknown"))
        .select(col("map"), col("word"), expr("explode(transform(filter(arrays_zip(phones, "
            + "visemes), z -> z.visemes is null), z -> z.phones))").as("p"))
        .groupBy("map").agg(countDistinct("word"), sort_array(collect_set("p")))
        .collectAsList()) {
      List<String> phones = r.getList(2);
      out.put(r.getString(0), new Object[] {r.getLong(1),
          new ArrayList<>(phones.subList(0, Math.min(50, phones.size())))});
    }
    return out;
  }

  /**
   * Per map, the plug-in and Miller-Madow profiles of the (phone, viseme, word) tokens of {@code
   * known}: the seven tables of every map in one grouping-sets aggregation, only each table's size,
   * cells and sum of c ln c to the driver.
   */
  static Map<String, EntropyProfile[]> tokenEntropies(Dataset<Row> known) {
    Dataset<Row> tokens = known.select(col("map"), col("word").as("t"),
            expr("explode(arrays_zip(phones, visemes))").as("z"))
        .select(col("map"), col("z.phones").as("a"), col("z.visemes").as("v"), col("t"));
    String view = "parallax_lexicon_tokens_" + java.util.UUID.randomUUID().toString()
        .replace("-", "");
    tokens.createOrReplaceTempView(view);
    List<Row> rows;
    try {
      rows = known.sparkSession().sql("SELECT map, grouping_id(map, a, v, t) AS g, count(1) AS c"
          + " FROM " + view + " GROUP BY map, a, v, t GROUPING SETS ((map, a), (map, v), "
          + "(map, t), (map, a, v), (map, a, t), (map, v, t), (map, a, v, t))")
          .groupBy("map", "g").agg(sum("c"), count(lit(1)), sum(col("c").multiply(log(col("c")))))
          .collectAsList();
    } finally {
      known.sparkSession().catalog().dropTempView(view);
    }
    // grouping_id bits (map, a, v, t), set for a column left out: A, V, T, AV, AT, VT, AVT.
    List<Integer> order = List.of(3, 5, 6, 1, 2, 4, 0);
    Map<String, long[]> n = new LinkedHashMap<>();
    Map<String, long[]> cells = new LinkedHashMap<>();
    Map<String, double[]> sumClogC = new LinkedHashMap<>();
    for (Row r : rows) {
      int i = order.indexOf((int) r.getLong(1));
      String map = r.getString(0);
      n.computeIfAbsent(map, m -> new long[7])[i] = r.getLong(2);
      cells.computeIfAbsent(map, m -> new long[7])[i] = r.getLong(3);
      sumClogC.computeIfAbsent(map, m -> new double[7])[i] = r.getDouble(4);
    }
    Map<String, EntropyProfile[]> out = new LinkedHashMap<>();
    n.forEach((map, sizes) -> out.put(map, JointCounts.profiles(sizes[0], sumClogC.get(map),
        cells.get(map))));
    return out;
  }
}
