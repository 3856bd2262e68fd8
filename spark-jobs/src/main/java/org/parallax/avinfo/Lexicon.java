package org.parallax.avinfo;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.summingLong;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
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
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
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
   * known}, from each of the seven tables' cells and sum of c ln c. A word is one row per map, so
   * the tables holding the word (T, AT, VT, AVT) are counted inside each row; A, V and AV come
   * from the (map, phone, viseme) counts, one row per pair of the maps' inventories.
   */
  static Map<String, EntropyProfile[]> tokenEntropies(Dataset<Row> known) {
    Map<String, long[]> cells = new LinkedHashMap<>();
    Map<String, double[]> sumClogC = new LinkedHashMap<>();
    List<Row> pairs = known.select(col("map"), expr("explode(arrays_zip(phones, visemes))")
        .as("z")).groupBy(col("map"), col("z.phones"), col("z.visemes")).count().collectAsList();
    for (int t : new int[] {0, 1, 3}) {
      pairs.stream().collect(groupingBy(r -> List.of(r.get(0), t == 1 ? "" : r.get(1),
          t == 0 ? "" : r.get(2)), summingLong(r -> r.getLong(3))))
          .forEach((k, c) -> add(cells, sumClogC, (String) k.get(0), t, c));
    }
    for (Row r : known.select("map", "phones", "visemes").mapPartitions(
        (MapPartitionsFunction<Row, Row>) Lexicon::wordTables, Encoders.row(WORD_TABLES))
        .groupBy("map", "table").agg(sum("cells"), sum("clogc")).collectAsList()) {
      cells.get(r.getString(0))[r.getInt(1)] = r.getLong(2);
      sumClogC.get(r.getString(0))[r.getInt(1)] = r.getDouble(3);
    }
    Map<String, EntropyProfile[]> out = new LinkedHashMap<>();
    pairs.stream().collect(groupingBy(r -> r.getString(0), summingLong(r -> r.getLong(3))))
        .forEach((map, n) -> out.put(map, JointCounts.profiles(n, sumClogC.get(map),
            cells.get(map))));
    return out;
  }

  private static final StructType WORD_TABLES = new StructType().add("map", "string")
      .add("table", "int").add("cells", "long").add("clogc", "double");

  /** One cell of {@code c} observations in table {@code t} (JointCounts' order) of {@code map}. */
  private static void add(Map<String, long[]> cells, Map<String, double[]> sumClogC, String map,
      int t, long c) {
    cells.computeIfAbsent(map, m -> new long[7])[t]++;
    sumClogC.computeIfAbsent(map, m -> new double[7])[t] += c * Math.log(c);
  }

  /** A partition's cells and sum of c ln c of T, AT, VT and AVT per map, word by word. */
  private static Iterator<Row> wordTables(Iterator<Row> words) {
    Map<String, long[]> cells = new HashMap<>();
    Map<String, double[]> sumClogC = new HashMap<>();
    words.forEachRemaining(w -> {
      List<String> a = w.getList(1);
      List<String> v = w.getList(2);
      add(cells, sumClogC, w.getString(0), 2, a.size());
      for (int t = 4; t < 7; t++) {
        int table = t;
        IntStream.range(0, a.size()).mapToObj(i -> table == 4 ? a.get(i) : table == 5 ? v.get(i)
            : a.get(i) + '\u0000' + v.get(i)).collect(groupingBy(x -> x, counting()))
            .forEach((x, c) -> add(cells, sumClogC, w.getString(0), table, c));
      }
    });
    List<Row> out = new ArrayList<>();
    cells.forEach((map, c) -> IntStream.of(2, 4, 5, 6).forEach(t -> out.add(
        RowFactory.create(map, t, c[t], sumClogC.get(map)[t]))));
    return out.iterator();
  }
}
