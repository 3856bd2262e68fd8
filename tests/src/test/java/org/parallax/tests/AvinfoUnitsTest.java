package org.parallax.tests;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * {@code avinfo units}: continuous features drawn around one centre per generated unit, audio at
 * 50 Hz (two frames per video frame), must cluster back into the same partition, so the
 * informations of the recovered units equal those of the generated ones.
 */
class AvinfoUnitsTest extends SparkTestBase {

  @Test
  void kMeansUnitsRecoverTheGeneratedUnitsAndAlignAudioToVideo() {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "avinfo", "--out", data.toString(), "--scale", "10000")
        .status());
    Dataset<Row> frames = spark.read().parquet(data.resolve("frames").toString());
    StructType schema = new StructType().add("utterance_id", DataTypes.StringType)
        .add("speaker_id", DataTypes.StringType).add("frame", DataTypes.IntegerType)
        .add("modality", DataTypes.StringType)
        .add("vector", DataTypes.createArrayType(DataTypes.DoubleType));
    Dataset<Row> features = frames.flatMap((FlatMapFunction<Row, Row>) r -> {
      String utt = r.getAs("utterance_id");
      String spk = r.getAs("speaker_id");
      int f = r.<Integer>getAs("frame");
      Random noise = new Random(utt.hashCode() * 31L + f);
      List<Row> out = new ArrayList<>();
      for (int half = 0; half < 2; half++) {
        out.add(RowFactory.create(utt, spk, 2 * f + half, "audio",
            point(r.<Integer>getAs("audio_unit"), 1, noise)));
      }
      out.add(RowFactory.create(utt, spk, f, "visual",
          point(r.<Integer>getAs("visual_unit"), 2, noise)));
      out.add(RowFactory.create(utt, spk, f, "text",
          point(r.<Integer>getAs("text_unit"), 3, noise)));
      return out.iterator();
    }, Encoders.row(schema));
    // A visual vector of the wrong dimension (quarantined), and an audio frame of an utterance
    // that has no video or text (misaligned: its aligned frame misses two modalities).
    Dataset<Row> bad = spark.createDataFrame(List.of(RowFactory.create("u-bad", "s", 0, "visual",
        new double[] {1.0}), RowFactory.create("u-audio-only", "s", 0, "audio",
        point(3, 1, new Random(1)))), schema);
    Path input = tmp.resolve("features");
    features.unionByName(bad).write().parquet(input.toString());

    Path units = tmp.resolve("units");
    Run run = cli("avinfo", "units", "--features", input.toString(), "--k",
        "audio=16,visual=5,text=12", "--rates", "audio=50,visual=25,text=25",
        "--fit-fraction", "0.3", "--restarts", "4", "--out", units.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode counts = report(units).get("counts");
    assertEquals(1, counts.get("features_quarantined").asLong());
    assertEquals(frames.count() + 1, counts.get("frames").asLong());
    assertEquals(1, counts.get("frames_missing_a_modality").asLong());

    // The recovered partition equals the generated one: every generated unit maps to exactly
    // one recovered unit and back.
    Dataset<Row> joined = spark.read().parquet(units.resolve("units").toString())
        .join(frames.withColumnRenamed("audio_unit", "a").withColumnRenamed("visual_unit", "v")
            .withColumnRenamed("text_unit", "t"), new String[] {"utterance_id", "frame"});
    for (String[] pair : new String[][] {{"a", "audio_unit"}, {"v", "visual_unit"},
        {"t", "text_unit"}}) {
      long generated = joined.select(pair[0]).distinct().count();
      assertEquals(generated, joined.select(pair[0], pair[1]).distinct().count(), pair[1]);
      assertEquals(generated, joined.select(pair[1]).distinct().count(), pair[1]);
    }

    Path stats = tmp.resolve("stats");
    assertEquals(0, cli("avinfo", "stats", "--frames", units.resolve("units").toString(),
        "--bootstrap", "0", "--out", stats.toString()).status());
    Path direct = tmp.resolve("direct");
    assertEquals(0, cli("avinfo", "stats", "--frames", data.resolve("frames").toString(),
        "--bootstrap", "0", "--out", direct.toString()).status());
    JsonNode fromUnits = report(stats).get("metrics").get("measures");
    JsonNode fromTruth = report(direct).get("metrics").get("measures");
    for (String q : List.of("H(A)", "I(A;V)", "I(A;T)", "I(V;T)", "I(A;V;T)")) {
      assertEquals(fromTruth.get(q).get("plug_in").asDouble(),
          fromUnits.get(q).get("plug_in").asDouble(), 1e-9, q);
    }
    assertTrue(joined.filter(col("audio_unit").isNull()).isEmpty());
  }

  /** Unit u of a modality: a centre 10 apart from the others in 4 dimensions, plus noise. */
  private static double[] point(int unit, int modality, Random noise) {
    double[] v = new double[4];
    for (int d = 0; d < 4; d++) {
      v[d] = 10 * (((unit * (d + 1) * 7 + modality * 3 + d * 5) % 17)) + noise.nextGaussian();
    }
    return v;
  }
}
