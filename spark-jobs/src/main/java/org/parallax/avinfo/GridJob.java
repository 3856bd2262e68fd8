package org.parallax.avinfo;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code avinfo grid}: GRID word alignments to frame-aligned phone, viseme and word streams ({@code
 * frames/}) and their statistics ({@link StatsJob#analyse}). Frame f takes the word whose interval
 * holds {@code f + 0.5}; its phones share its frames evenly; {@code sil} and {@code sp} are
 * silence. A word not in the dictionary or a phone without a class leaves its frames without a
 * unit; malformed lines are quarantined.
 */
public final class GridJob implements Job<GridOptions> {
  @Override
  public String name() {
    return "avinfo grid";
  }

  @Override
  public java.util.List<String> inputs(GridOptions o) {
    return java.util.Arrays.asList(o.alignments(), o.dictionary(), o.maps());
  }

  @Override
  public void run(JobContext ctx, GridOptions o) {
    Map<String, Map<String, String>> maps = Lexicon.maps(ctx.spark(), o.maps());
    if (!maps.containsKey(o.map())) {
      throw new JobFailedException("viseme map " + o.maps() + " has no column '" + o.map()
          + "'; it has " + maps.keySet());
    }
    Dataset<Row> lines = ctx.spark().read().text(o.alignments())
        .withColumn("utterance_id", regexp_extract(input_file_name(), "([^/]+?)(\\.align)?$", 1))
        .withColumn("speaker_id", regexp_extract(input_file_name(), "([^/]+)/[^/]+$", 1))
        .withColumn("t", split(trim(col("value")), "\\s+"))
        .filter(trim(col("value")).notEqual(""));
    Column ok = expr("size(t) = 3").and(element_at(col("t"), 1).rlike("^[0-9]+$"))
        .and(element_at(col("t"), 2).rlike("^[0-9]+$"));
    lines.filter(ok.unary_$bang()).withColumn("_reason",
        lit("expected 'start end word' with integer times")).drop("t")
        .write().parquet(ctx.out().path("_quarantine/alignments"));
    long malformed = ctx.spark().read().parquet(ctx.out().path("_quarantine/alignments")).count();
    Dataset<Row> words = lines.filter(ok).select(col("utterance_id"), col("speaker_id"),
        element_at(col("t"), 1).cast("double").divide(o.ticksPerFrame()).as("start"),
        element_at(col("t"), 2).cast("double").divide(o.ticksPerFrame()).as("end"),
        lower(element_at(col("t"), 3)).as("word"))
        .withColumn("first", ceil(col("start").minus(0.5)).cast("int"))
        .withColumn("last", ceil(col("end").minus(0.5)).cast("int").minus(1))
        .filter(col("last").geq(col("first")));

    Dataset<Row> dictionary = Lexicon.entries(ctx.spark(), o.dictionary())
        .filter(col("_reason").isNull().and(col("variant").unary_$bang()))
        .dropDuplicates("word").select("word", "phones");
    Column silence = col("word").isin("sil", "sp");
    Dataset<Row> withPhones = words.join(dictionary, words.col("word")
        .equalTo(dictionary.col("word")), "left").drop(dictionary.col("word"))
        .withColumn("phones", when(silence, expr("array('SIL')")).otherwise(col("phones")));
    long wordsUnknown = withPhones.filter(col("phones").isNull()).select("word").distinct()
        .count();
    Map<String, String> vmap = new java.util.LinkedHashMap<>(maps.get(o.map()));
    vmap.put("SIL", "SIL");
    Dataset<Row> frames = withPhones
        .withColumn("frame", expr("explode(sequence(first, last))"))
        .withColumn("phone", expr("element_at(phones, cast(floor((frame - first) * size(phones)"
            + " / (last - first + 1)) as int) + 1)"))
        .withColumn("viseme", element_at(Lexicon.mapColumn(vmap), col("phone")))
        .select("utterance_id", "speaker_id", "frame", "word", "phone", "viseme")
        .withColumn("data_source", lit("grid"));
    Dataset<Row> units = withId(withId(withId(frames, "phone", "audio_unit"), "viseme",
        "visual_unit"), "word", "text_unit");
    ctx.report().time("frames", () -> units.write().parquet(ctx.out().path("frames")));
    Dataset<Row> written = ctx.spark().read().parquet(ctx.out().path("frames"));
    ctx.report().count("alignment_lines_malformed", malformed)
        .count("words_not_in_dictionary", wordsUnknown)
        .count("frames_without_phone", written.filter(col("phone").isNull()).count())
        .count("frames_without_viseme", written.filter(col("viseme").isNull()
            .and(col("phone").isNotNull())).count())
        .metric("map", o.map())
        .output("frames", ctx.out().finalPath("frames"));
    StatsJob.analyse(ctx, written, o.alignments(), o.stats(),
        new String[] {"phone", "viseme (" + o.map() + ")", "word"}, "avinfo grid");
  }

  /** Adds {@code name}, a dense int id of {@code column}'s distinct values (null stays null). */
  private static Dataset<Row> withId(Dataset<Row> frames, String column, String name) {
    Dataset<Row> vocabulary = frames.select(column).filter(col(column).isNotNull()).distinct()
        .withColumn(name, dense_rank().over(Window.orderBy(column)).cast("int"));
    return frames.join(broadcast(vocabulary), frames.col(column)
        .eqNullSafe(vocabulary.col(column)), "left").drop(vocabulary.col(column));
  }
}
