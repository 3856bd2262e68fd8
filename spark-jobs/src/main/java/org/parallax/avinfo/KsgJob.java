package org.parallax.avinfo;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.CommonOptions;
import org.parallax.common.InputFormat;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;
import org.parallax.common.PerRow;

/**
 * {@code avinfo ksg}: the mutual information of two continuous modalities by the KSG k-NN
 * estimator ({@link Ksg}, algorithm 1, max-norm), for comparison with the clustered estimate of
 * {@code units} + {@code stats}. The two modalities are aligned as {@code units} aligns them
 * ({@link FramePooling}), paired per (utterance, frame), sampled to {@code --max-samples} frames
 * per group (utterance, speaker or all, by a seeded hash) and estimated in the executors, one
 * group per task row, with a delete-a-block jackknife interval. Writes {@code ksg/} ({@code group,
 * samples, mi_nats, ci_low, ci_high}).
 */
public final class KsgJob implements Job<KsgOptions> {
  private static final StructType OUT = new StructType().add("group", DataTypes.StringType)
      .add("samples", DataTypes.IntegerType).add("mi_nats", DataTypes.DoubleType)
      .add("ci_low", DataTypes.DoubleType).add("ci_high", DataTypes.DoubleType);

  @Override
  public String name() {
    return "avinfo ksg";
  }

  @Override
  public CommonOptions common(KsgOptions options) {
    return options.common();
  }

  @Override
  public java.util.List<String> inputs(KsgOptions o) {
    return java.util.Arrays.asList(o.features());
  }

  @Override
  public void run(JobContext ctx, KsgOptions o) {
    Dataset<Row> read = ctx.reader().read(o.features(), InputFormat.of(o.features(),
        o.format()), FramePooling.SCHEMA).filter(col("modality").isin(o.x(), o.y()));
    Column bad = col("vector").isNull().or(size(col("vector")).equalTo(0));
    long badRows = read.filter(bad).count();
    Dataset<Row> pooled = FramePooling.pool(read.filter(bad.unary_$bang()),
        List.of(o.x(), o.y()), o.rates(), o.targetRate())
        .withColumn("v", org.apache.spark.ml.functions.vector_to_array(col("features"),
            "float64"));
    Dataset<Row> xs = pooled.filter(col("modality").equalTo(o.x()))
        .select(col("utterance_id"), col("target_frame"), col("speaker_id"), col("v").as("x"));
    Dataset<Row> ys = pooled.filter(col("modality").equalTo(o.y()))
        .select(col("utterance_id"), col("target_frame"), col("v").as("y"));
    Column group = switch (o.per()) {
      case "utterance" -> col("utterance_id");
      case "speaker" -> org.apache.spark.sql.functions.coalesce(col("speaker_id"),
          lit("unknown"));
      default -> lit("all");
    };
    Dataset<Row> pairs = xs.join(ys, new String[] {"utterance_id", "target_frame"})
        .withColumn("group", group)
        .withColumn("_r", row_number().over(Window.partitionBy("group").orderBy(
            xxhash64(lit(ctx.options().seed()), col("utterance_id"), col("target_frame")))))
        .filter(col("_r").leq(o.maxSamples()));
    Dataset<Row> groups = pairs.groupBy("group")
        .agg(collect_list(struct(col("x"), col("y"))).as("samples"));
    double z = new NormalDistribution().inverseCumulativeProbability(0.5 + o.confidence() / 2);
    int k = o.k();
    Dataset<Row> estimates = groups.mapPartitions(PerRow.map(r -> {
      List<Row> s = r.getList(1);
      double[][] x = new double[s.size()][];
      double[][] y = new double[s.size()][];
      for (int i = 0; i < s.size(); i++) {
        x[i] = toArray(s.get(i).getList(0));
        y[i] = toArray(s.get(i).getList(1));
      }
      if (s.size() <= k + 1) {
        return RowFactory.create(r.getString(0), s.size(), null, null, null);
      }
      double[] e = Ksg.withInterval(x, y, k, 10, z);
      return RowFactory.create(r.getString(0), s.size(), e[0], nan(e[1]), nan(e[2]));
    }), Encoders.row(OUT));
    ctx.report().time("ksg", () -> estimates.write().parquet(ctx.out().path("ksg")));
    Dataset<Row> written = ctx.spark().read().parquet(ctx.out().path("ksg"));
    Row summary = written.agg(count(lit(1)), count("mi_nats"), avg("mi_nats"),
        org.apache.spark.sql.functions.sum("samples")).first();
    if (summary.getLong(0) == 0) {
      throw new JobFailedException("input features (" + o.features() + "): no frame has both "
          + o.x() + " and " + o.y() + " vectors");
    }
    ctx.report().count("groups", summary.getLong(0))
        .count("groups_too_small", summary.getLong(0) - summary.getLong(1))
        .count("samples", summary.getLong(3)).count("features_without_vector", badRows)
        .metric("mean_mi_nats", summary.isNullAt(2) ? null : summary.getDouble(2))
        .config("k", o.k()).config("x", o.x()).config("y", o.y()).config("per", o.per())
        .output("ksg", ctx.out().finalPath("ksg"));
    if (o.per().equals("all")) {
      Row all = written.first();
      ctx.report().metric("mi_nats", all.isNullAt(2) ? null : all.getDouble(2))
          .metric("ci_low", all.isNullAt(3) ? null : all.getDouble(3))
          .metric("ci_high", all.isNullAt(4) ? null : all.getDouble(4));
    }
  }

  private static double[] toArray(List<Object> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) values.get(i)).doubleValue();
    }
    return a;
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
