package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.Charts;
import org.parallax.common.HtmlReport;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code avinfo lexicon}: per phone-to-viseme map, the phone-token entropies (Miller-Madow) of a
 * pronouncing dictionary (first pronunciation per word) and its homophenes (words with the same
 * viseme string): their share, H(word) and H(word | viseme string). Entries with a phone the map
 * does not class are left out of that map and counted. Writes {@code homophenes/} ({@code map,
 * viseme_string, size, words}).
 */
public final class LexiconJob implements Job<LexiconOptions> {
  @Override
  public String name() {
    return "avinfo lexicon";
  }

  @Override
  public java.util.List<String> inputs(LexiconOptions o) {
    return java.util.Arrays.asList(o.dictionary(), o.maps());
  }

  @Override
  public void run(JobContext ctx, LexiconOptions o) {
    Dataset<Row> all = Lexicon.entries(ctx.spark(), o.dictionary()).cache();
    all.filter(col("_reason").isNotNull()).drop("variant").write()
        .parquet(ctx.out().path("_quarantine/dictionary"));
    Row lines = all.agg(count(lit(1)), count(when(col("_reason").isNotNull(), 1)),
        count(when(col("variant"), 1))).first();
    Dataset<Row> entries = all.filter(col("_reason").isNull().and(col("variant").unary_$bang()))
        .dropDuplicates("word").select("word", "phones").cache();
    long words = entries.count();
    if (words == 0) {
      throw new JobFailedException("dictionary " + o.dictionary() + ": no entry with phones");
    }
    ctx.report().count("lines", lines.getLong(0)).count("malformed_lines", lines.getLong(1))
        .count("variants_set_aside", lines.getLong(2)).count("words", words);
    Map<String, Map<String, String>> maps = Lexicon.maps(ctx.spark(), o.maps());
    if (!maps.containsKey(o.vennMap())) {
      throw new JobFailedException("viseme map " + o.maps() + " has no column '" + o.vennMap()
          + "' (--venn-map); it has " + maps.keySet());
    }
    // Every map in one table (map, word, phones, visemes, unknown): each figure below is then one
    // aggregation over all maps, not one Spark job per map and figure.
    Dataset<Row> mapped = null;
    for (Map.Entry<String, Map<String, String>> m : maps.entrySet()) {
      Dataset<Row> one = entries.withColumn("map", lit(m.getKey()))
          .withColumn("vmap", Lexicon.mapColumn(m.getValue()));
      mapped = mapped == null ? one : mapped.unionByName(one);
    }
    mapped = mapped.withColumn("visemes", expr("transform(phones, p -> element_at(vmap, p))"))
        .withColumn("unknown", expr("exists(visemes, v -> v is null)")).drop("vmap").cache();
    Map<String, Object[]> unknownByMap = Lexicon.unknownPhones(mapped, maps.keySet());
    Dataset<Row> known = mapped.filter(col("unknown").unary_$bang());
    Map<String, EntropyProfile[]> profiles = Lexicon.tokenEntropies(known);
    Dataset<Row> perClass = known.select(col("map"), col("word"),
            concat_ws(" ", col("visemes")).as("viseme_string"))
        .groupBy("map", "viseme_string").agg(count(lit(1)).as("size"),
            slice(sort_array(collect_list("word")), 1, 10).as("words")).cache();
    Map<String, Row> classStats = new LinkedHashMap<>();
    for (Row w : perClass.groupBy("map").agg(sum("size"), count(lit(1)),
        sum(when(col("size").geq(2), col("size")).otherwise(0)),
        sum(col("size").multiply(log(col("size")))), count(when(col("size").geq(2), 1)))
        .collectAsList()) {
      classStats.put(w.getString(0), w);
    }
    double ln = Math.log(o.base());
    Map<String, Object> perMap = new LinkedHashMap<>();
    Map<String, Map<String, Double>> venn = null;
    for (Map.Entry<String, Map<String, String>> m : maps.entrySet()) {
      Row w = classStats.get(m.getKey());
      EntropyProfile[] h = profiles.get(m.getKey());
      Object[] unknownPhones = unknownByMap.get(m.getKey());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("visemes", m.getValue().values().stream().distinct().count());
      r.put("words", w == null ? 0L : w.getLong(1));
      r.put("entries_with_unknown_phones", unknownPhones[0]);
      r.put("unknown_phones", unknownPhones[1]);
      if (w != null && h != null) {
        double n = w.getLong(1);
        r.put("H(phoneme)", h[1].hA() / ln);
        r.put("H(viseme)", h[1].hV() / ln);
        r.put("H(phoneme|viseme)", (h[1].hAV() - h[1].hV()) / ln);
        r.put("I(phoneme;viseme)", h[1].miAV() / ln);
        r.put("viseme_strings", w.getLong(2));
        r.put("homophene_classes", w.getLong(5));
        r.put("words_with_homophene_fraction", w.getLong(3) / n);
        r.put("H(word)", Math.log(n) / ln);
        r.put("H(word|viseme_string)", w.getDouble(4) / n / ln);
      }
      perMap.put(m.getKey(), r);
      ctx.report().count("entries_with_unknown_phones_" + m.getKey(), (Long) unknownPhones[0]);
      if (m.getKey().equals(o.vennMap()) && h != null) {
        Map<String, Map<String, Double>> measures = new LinkedHashMap<>();
        StatsJob.add(measures, "plug_in", h[0], o.base());
        StatsJob.add(measures, "miller_madow", h[1], o.base());
        ctx.report().metric("venn_measures", measures);
        venn = measures;
      }
    }
    Dataset<Row> classes = perClass.filter(col("size").geq(2))
        .select(col("map"), col("viseme_string"), col("size"), col("words"));
    ctx.report().time("homophenes", () -> classes.write()
        .parquet(ctx.out().path("homophenes")));
    String unit = o.base() == 2 ? "bits" : "log base " + o.base();
    ctx.report().metric("unit", unit).metric("maps", perMap)
        .output("homophenes", ctx.out().finalPath("homophenes"));
    html(ctx, o, perMap, unit, venn);
    List.of(perClass, mapped, all, entries).forEach(Dataset::unpersist);
  }

  @SuppressWarnings("unchecked")
  private static void html(JobContext ctx, LexiconOptions o, Map<String, Object> perMap,
      String unit, Map<String, Map<String, Double>> venn) {
    List<String> names = new ArrayList<>(perMap.keySet());
    List<String> keys = List.of("visemes", "H(phoneme)", "H(viseme)", "H(phoneme|viseme)",
        "homophene_classes", "words_with_homophene_fraction", "H(word)", "H(word|viseme_string)",
        "entries_with_unknown_phones");
    List<List<String>> rows = new ArrayList<>();
    Map<String, List<Double>> series = new LinkedHashMap<>();
    series.put("H(phoneme|viseme)", new ArrayList<>());
    series.put("H(word|viseme string)", new ArrayList<>());
    for (String map : names) {
      Map<String, Object> r = (Map<String, Object>) perMap.get(map);
      List<String> row = new ArrayList<>(List.of(map));
      keys.forEach(k -> row.add(r.get(k) instanceof Double d ? String.format("%.4f", d)
          : String.valueOf(r.get(k))));
      rows.add(row);
      series.get("H(phoneme|viseme)").add((Double) r.get("H(phoneme|viseme)"));
      series.get("H(word|viseme string)").add((Double) r.get("H(word|viseme_string)"));
    }
    byte[] bars = Charts.bars("What a viseme leaves unsaid (" + unit + ")", "viseme map", unit,
        names, series);
    ctx.out().writeBytes("maps.png", bars);
    List<String> header = new ArrayList<>(List.of("map"));
    header.addAll(keys);
    HtmlReport html = new HtmlReport("avinfo lexicon").paragraph("Dictionary " + o.dictionary()
        + ", one pronunciation per word; phone-token entropies and word-level homophenes per "
        + "viseme map.").table(header, rows).image("per map", bars);
    StatsReport.append(ctx, html, venn, unit, new String[] {"phone", "viseme (" + o.vennMap()
        + ")", "word"});
    ctx.out().writeText("report.html", html.render());
  }
}
