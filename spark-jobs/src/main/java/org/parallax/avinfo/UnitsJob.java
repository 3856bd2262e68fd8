package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.InputFormat;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code avinfo units}: per-frame features to discrete units per modality, aligned to one frame
 * rate ({@link FramePooling}) and clustered by MLlib k-means ({@code --k}, fitted on a {@code
 * --fit-fraction} sample, seeded), AV-HuBERT style. Writes {@code units/} ({@code utterance_id,
 * speaker_id, frame, <modality>_unit}, null where a modality has no frame); vectors null, empty or
 * of another dimension than the modality's are quarantined.
 */
public final class UnitsJob implements Job<UnitsOptions> {
  @Override
  public String name() {
    return "avinfo units";
  }

  @Override
  public java.util.List<String> inputs(UnitsOptions o) {
    return java.util.Arrays.asList(o.features());
  }

  @Override
  public void run(JobContext ctx, UnitsOptions o) {
    Dataset<Row> read = ctx.reader().read(o.features(), InputFormat.of(o.features(),
        o.format()), FramePooling.SCHEMA);
    List<String> modalities = new ArrayList<>();
    Map<String, Integer> dims = new LinkedHashMap<>();
    // A modality's dimension is the size most of its vectors have; other sizes are bad rows.
    for (Row r : read.filter(col("vector").isNotNull().and(size(col("vector")).gt(0)))
        .groupBy(col("modality"), size(col("vector")).as("d")).agg(count(lit(1)).as("n"))
        .orderBy(col("modality"), col("n").desc(), col("d")).collectAsList()) {
      if (!dims.containsKey(r.getString(0))) {
        modalities.add(r.getString(0));
        dims.put(r.getString(0), r.getInt(1));
      }
    }
    if (modalities.isEmpty()) {
      throw new JobFailedException("input features (" + o.features() + "): no row has a "
          + "non-empty vector");
    }
    Column dim = lit(0);
    for (String m : modalities) {
      dim = when(col("modality").equalTo(m), lit(dims.get(m))).otherwise(dim);
    }
    Column bad = col("vector").isNull().or(size(col("vector")).notEqual(dim));
    Dataset<Row> quarantined = read.filter(bad).withColumn("_reason", when(col("vector")
        .isNull().or(size(col("vector")).equalTo(0)), lit("vector missing or empty"))
        .otherwise(lit("vector dimension differs from the modality's")));
    quarantined.write().parquet(ctx.out().path("_quarantine/features"));
    long badRows = ctx.spark().read().parquet(ctx.out().path("_quarantine/features")).count();
    ctx.report().count("features_quarantined", badRows);

    Dataset<Row> pooled = FramePooling.pool(read.filter(org.apache.spark.sql.functions.not(bad)),
        modalities, o.rates(), o.targetRate()).cache();

    Dataset<Row> units = null;
    Map<String, Object> perModality = new LinkedHashMap<>();
    for (String m : modalities) {
      Dataset<Row> frames = pooled.filter(col("modality").equalTo(m));
      Dataset<Row> sample = o.fitFraction() >= 1 ? frames
          : frames.sample(false, o.fitFraction(), ctx.options().seed());
      Dataset<Row> fit = sample.cache();
      long fitFrames = fit.count();
      KMeansModel model = ctx.report().time("k-means " + m, () -> {
        // Like scikit-learn's n_init: the best of --restarts seeded k-means|| runs.
        KMeansModel best = null;
        for (int i = 0; i < o.restarts(); i++) {
          KMeansModel candidate = new KMeans().setK(o.kOf(m))
              .setSeed(ctx.options().seed() + 7919L * i).setMaxIter(o.maxIterations())
              .setFeaturesCol("features").setPredictionCol("unit").fit(fit);
          if (best == null
              || candidate.summary().trainingCost() < best.summary().trainingCost()) {
            best = candidate;
          }
        }
        return best;
      });
      fit.unpersist();
      Map<String, Object> info = new LinkedHashMap<>();
      info.put("k", o.kOf(m));
      info.put("clusters_found", model.clusterCenters().length);
      info.put("dimension", dims.get(m));
      info.put("rate_hz", o.rateOf(m));
      info.put("fit_frames", fitFrames);
      info.put("training_cost", model.summary().trainingCost());
      info.put("restarts", o.restarts());
      perModality.put(m, info);
      Dataset<Row> assigned = model.transform(frames).select(col("utterance_id"),
          col("speaker_id"), col("target_frame"), col("modality"), col("unit"));
      units = units == null ? assigned : units.unionByName(assigned);
    }
    List<Column> aggs = new ArrayList<>();
    aggs.add(first("speaker_id", true).as("speaker_id"));
    for (String m : modalities) {
      aggs.add(max(when(col("modality").equalTo(m), col("unit"))).as(m + "_unit"));
    }
    Dataset<Row> aligned = units.groupBy(col("utterance_id"), col("target_frame").as("frame"))
        .agg(aggs.get(0), aggs.subList(1, aggs.size()).toArray(Column[]::new));
    ctx.report().time("units", () -> aligned.write().parquet(ctx.out().path("units")));
    Dataset<Row> written = ctx.spark().read().parquet(ctx.out().path("units"));
    Column incomplete = lit(false);
    for (String m : modalities) {
      incomplete = incomplete.or(col(m + "_unit").isNull());
    }
    ctx.report().count("frames", written.count())
        .count("frames_missing_a_modality", written.filter(incomplete).count())
        .metric("modalities", perModality)
        .config("alignment", "frame f at r Hz -> target frame floor(f * " + o.targetRate()
            + " / r); vectors in one target frame averaged")
        .output("units", ctx.out().finalPath("units"));
    pooled.unpersist();
  }
}
