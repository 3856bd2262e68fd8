package org.parallax.avinfo;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.InputFormat;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;
import org.parallax.common.PerRow;

/**
 * {@code avinfo ksg}: the mutual information of two continuous modalities by {@link Ksg}, aligned
 * as {@code units} aligns them ({@link FramePooling}), per utterance, speaker or overall; a group
 * above {@code --max-samples} frames is sampled down by a seeded hash. Each group's estimate and
 * each jackknife replicate is one task ({@link KsgReplicates}). Writes {@code ksg/} ({@code group,
 * samples, frames, mi_nats, ci_low, ci_high}).
 */
public final class KsgJob implements Job<KsgOptions> {
  /** Jackknife blocks per group (fewer for small groups, see {@link Ksg#blocks}). */
  static final int BLOCKS = 10;

  private static final StructType OUT = new StructType().add("group", DataTypes.StringType)
      .add("samples", DataTypes.IntegerType).add("frames", DataTypes.LongType)
      .add("mi_nats", DataTypes.DoubleType)
      .add("ci_low", DataTypes.DoubleType).add("ci_high", DataTypes.DoubleType);

  @Override
  public String name() {
    return "avinfo ksg";
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
    Dataset<Row> work = samples(ctx, o, read.filter(bad.unary_$bang()))
        .mapPartitions(new KsgGroups(o.k(), BLOCKS, ctx.options().seed()),
            Encoders.row(KsgGroups.OUT));
    Dataset<Row> replicates = spread(ctx, o, work).mapPartitions(
        PerRow.map(new KsgReplicates(o.k(), o.algorithm(), o.theiler())), Encoders.row(KsgReplicates.OUT));
    Dataset<Row> estimates = intervals(replicates, o.confidence());
    ctx.report().time("ksg", () -> estimates.write().parquet(ctx.out().path("ksg")));
    report(ctx, o, ctx.spark().read().parquet(ctx.out().path("ksg")), badRows);
  }

  /**
   * {@link KsgGroups#COLUMNS}: the modalities paired per (utterance, frame), grouped, each group's
   * frames counted and a group above {@code --max-samples} cut by a seeded hash; a group's rows
   * contiguous.
   */
  private static Dataset<Row> samples(JobContext ctx, KsgOptions o, Dataset<Row> valid) {
    Column group = switch (o.per()) {
      case "utterance" -> col("utterance_id");
      case "speaker" -> coalesce(col("speaker_id"), lit("unknown"));
      default -> lit("all");
    };
    return FramePooling.pairs(valid, o.x(), o.y(), o.rates(), o.targetRate())
        .withColumn("group", group)
        .withColumn("frames", count(lit(1)).over(Window.partitionBy("group")))
        .withColumn("_r", row_number().over(Window.partitionBy("group").orderBy(
            xxhash64(lit(ctx.options().seed()), col("utterance_id"), col("target_frame")))))
        .filter(col("_r").leq(o.maxSamples()))
        .select(Arrays.stream(KsgGroups.COLUMNS).map(c -> col(c)).toArray(Column[]::new))
        .sortWithinPartitions("group");
  }

  /** Per group: the estimate (replicate 0) and its jackknife interval from the others. */
  private static Dataset<Row> intervals(Dataset<Row> replicates, double confidence) {
    double z = new NormalDistribution().inverseCumulativeProbability(0.5 + confidence / 2);
    return replicates.groupBy("group").agg(
        max(when(col("b").equalTo(0), col("samples"))).as("samples"),
        max(when(col("b").equalTo(0), col("mi_nats"))).as("mi_nats"),
        collect_list(when(col("b").gt(0), col("mi_nats"))).as("leave_out"),
        max("frames").as("frames"))
        .map((MapFunction<Row, Row>) r -> {
          if (r.isNullAt(2)) {
            return RowFactory.create(r.getString(0), r.getInt(1), r.getLong(4), null, null,
                null);
          }
          List<Double> l = r.getList(3);
          double[] e = Ksg.jackknife(r.getDouble(2), l.stream()
              .mapToDouble(Double::doubleValue).toArray(), z);
          return RowFactory.create(r.getString(0), r.getInt(1), r.getLong(4), e[0], nan(e[1]),
              nan(e[2]));
        }, Encoders.row(OUT));
  }

  private static void report(JobContext ctx, KsgOptions o, Dataset<Row> written,
      long badRows) {
    Row summary = written.agg(count(lit(1)), count("mi_nats"), avg("mi_nats"),
        sum("samples"), count(when(col("frames").gt(col("samples")), 1))).first();
    if (summary.getLong(0) == 0) {
      throw new JobFailedException("input features (" + o.features() + "): no frame has both "
          + o.x() + " and " + o.y() + " vectors");
    }
    long sampled = summary.getLong(4);
    ctx.report().count("groups", summary.getLong(0))
        .count("groups_too_small", summary.getLong(0) - summary.getLong(1))
        .count("groups_sampled", sampled)
        .count("samples", summary.getLong(3)).count("features_without_vector", badRows)
        .metric("mean_mi_nats", summary.isNullAt(2) ? null : summary.getDouble(2))
        .config("k", o.k()).config("ksg_algorithm", o.algorithm())
        .config("theiler_frames", o.theiler()).config("x", o.x()).config("y", o.y()).config("per", o.per())
        .config("max_samples", o.maxSamples()).config("jackknife_blocks", BLOCKS)
        .config("jitter", Ksg.JITTER + " x each coordinate's standard deviation, seeded")
        .output("ksg", ctx.out().finalPath("ksg"));
    if (sampled > 0) {
      ctx.report().metric("sampling", sampled + " group(s) had more than --max-samples "
          + o.maxSamples() + " frames and were estimated on a seeded sample of that many");
    }
    if (o.per().equals("all")) {
      Row all = written.first();
      ctx.report().metric("mi_nats", all.isNullAt(3) ? null : all.getDouble(3))
          .metric("ci_low", all.isNullAt(4) ? null : all.getDouble(4))
          .metric("ci_high", all.isNullAt(5) ? null : all.getDouble(5));
    }
  }

  /**
   * The replicate rows spread by an RDD partitioner keyed by group hash times 11 plus replicate, so
   * that one group's 11 replicates run as 11 tasks (SQL hash partitioning and adaptive execution
   * would pack them together).
   */
  private static Dataset<Row> spread(JobContext ctx, KsgOptions o, Dataset<Row> work) {
    int partitions = o.per().equals("all") ? BLOCKS + 1 : Math.max(
        ctx.spark().sessionState().conf().numShufflePartitions(),
        ctx.spark().sparkContext().defaultParallelism());
    JavaRDD<Row> spread = work.javaRDD()
        .keyBy(r -> (long) r.getString(0).hashCode() * (BLOCKS + 1) + r.getInt(1))
        .partitionBy(new HashPartitioner(partitions)).values();
    return ctx.spark().createDataFrame(spread, KsgGroups.OUT);
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
