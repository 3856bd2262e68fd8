package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.split;
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
 * The text side of AV speech: a CMUdict-format pronouncing dictionary ({@code WORD  PH1 PH2 ...},
 * stress digits stripped, {@code WORD(2)} variants, {@code ;;;} and {@code #} comments) and a
 * phone-to-viseme TSV ({@code phone} then one column per map; a class ending in {@code ?}, such
 * as Jeffers-Barley's {@code HH?}, means the map gives the phone no class).
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
}
