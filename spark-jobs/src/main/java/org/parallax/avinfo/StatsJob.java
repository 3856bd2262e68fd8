package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.CommonOptions;
import org.parallax.common.InputFormat;
import org.parallax.common.InputSchema;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code avinfo stats}: entropies and informations of aligned audio (A), visual (V) and text (T)
 * unit streams. The joint table of the three units is counted once in Spark (per speaker and
 * data source, in one aggregation) and the count tables of every subset are derived from it in
 * memory ({@link JointCounts}); from their seven entropies come I(A;V), I(A;T), I(V;T), H(T|V),
 * H(T|A), H(T|A,V), I(A;V|T) and the co-information I(A;V;T) ({@link EntropyProfile}), each plug-in and
 * Miller-Madow corrected, with bootstrap intervals that resample utterances (Poisson(1) weights,
 * since neighbouring frames repeat units) and a shuffled null that pairs the audio of one
 * utterance with the visual and text units of another, frame by frame. Frames with a missing
 * unit are set aside and counted; a repeated (utterance, frame) keeps one row. The point
 * estimates and the per-speaker and per-data-source breakdowns come from one count, the null
 * and the bootstrap replicates from one count each.
 */
public final class StatsJob implements Job<StatsOptions> {
  static final String[] UNITS = {"audio_unit", "visual_unit", "text_unit"};

  @Override
  public String name() {
    return "avinfo stats";
  }

  @Override
  public CommonOptions common(StatsOptions options) {
    return options.common();
  }

  @Override
  public java.util.List<String> inputs(StatsOptions o) {
    return java.util.Arrays.asList(o.frames());
  }

  @Override
  public void run(JobContext ctx, StatsOptions o) {
    InputSchema schema = InputSchema.named("frames")
        .required("utterance_id", DataTypes.StringType)
        .required("frame", DataTypes.IntegerType)
        .optional("speaker_id", DataTypes.StringType)
        .optional("audio_unit", DataTypes.IntegerType)
        .optional("visual_unit", DataTypes.IntegerType)
        .optional("text_unit", DataTypes.IntegerType)
        .optional("data_source", DataTypes.StringType)
        .build();
    Dataset<Row> read = ctx.reader().read(o.frames(), InputFormat.of(o.frames(), o.format()),
        schema);
    analyse(ctx, read, o.frames(), o);
  }

  /**
   * Everything {@code stats} computes, on frames already read ({@code utterance_id, frame,
   * speaker_id, audio_unit, visual_unit, text_unit, data_source}); {@code source} names them in
   * errors.
   */
  public static void analyse(JobContext ctx, Dataset<Row> read, String source, StatsOptions o) {
    analyse(ctx, read, source, o, new String[] {"A (audio)", "V (visual)", "T (text)"},
        "avinfo stats");
  }

  /** As {@link #analyse(JobContext, Dataset, String, StatsOptions)}, naming the three roles. */
  public static void analyse(JobContext ctx, Dataset<Row> read, String source, StatsOptions o,
      String[] roles, String title) {
    Column missing = col("audio_unit").isNull().or(col("visual_unit").isNull())
        .or(col("text_unit").isNull());
    // One pass for every count the report needs before the tables.
    Row present = read.agg(count("audio_unit"), count("visual_unit"), count("text_unit"),
        count(lit(1)), sum(when(missing, 1L).otherwise(0L))).first();
    if (present.getLong(0) == 0 || present.getLong(1) == 0 || present.getLong(2) == 0) {
      throw new JobFailedException("input frames (" + source + "): audio_unit, visual_unit "
          + "and text_unit are all needed, found non-null counts [" + present.getLong(0) + ","
          + present.getLong(1) + "," + present.getLong(2) + "]");
    }
    long all = present.getLong(3);
    long dropped = present.isNullAt(4) ? 0 : present.getLong(4);
    if (dropped > 0) {
      read.filter(missing).write().parquet(ctx.out().path("_quarantine/frames_missing_units"));
    }
    Dataset<Row> frames = read.filter(functions.not(missing))
        .withColumn("_n", row_number().over(Window.partitionBy("utterance_id", "frame")
            .orderBy("audio_unit", "visual_unit", "text_unit")))
        .filter(col("_n").equalTo(1)).drop("_n").cache();
    long n = frames.count();
    ctx.report().count("frames", n).count("frames_missing_units", dropped)
        .count("duplicate_frames", all - dropped - n)
        .count("utterances", frames.select("utterance_id").distinct().count());

    Map<String, Map<String, Double>> measures = new LinkedHashMap<>();
    // One count of the joint table per (speaker, data source): the point estimates and both
    // breakdowns are derived from it in memory.
    List<Row> grouped = ctx.report().time("joint counts", () -> groupedCounts(frames));
    EntropyProfile[] point = joint(grouped, 2).profiles();
    add(measures, "plug_in", point[0], o.base());
    add(measures, "miller_madow", point[1], o.base());
    EntropyProfile[] nul = ctx.report().time("shuffled null",
        () -> estimate(shuffled(frames, ctx.options().seed())));
    add(measures, "null_plug_in", nul[0], o.base());
    add(measures, "null_miller_madow", nul[1], o.base());
    if (o.bootstrap() > 0) {
      ctx.report().time("bootstrap", () -> bootstrap(frames, o, ctx.options().seed(), measures));
    }
    byGroup(ctx, grouped, 0, "speaker_id", "speakers", o.base());
    byGroup(ctx, grouped, 1, "data_source", "data_sources", o.base());
    String unit = o.base() == 2 ? "bits" : o.base() == Math.E ? "nats" : "log base " + o.base();
    ctx.report().metric("unit", unit).metric("measures", measures);
    StatsReport.write(ctx, measures, unit, roles, title);
    frames.unpersist();
  }

  /**
   * Plug-in and Miller-Madow profiles of the frames (weight 1 each): the joint table counted
   * once in Spark, the seven tables derived from it in memory ({@link JointCounts}).
   */
  static EntropyProfile[] estimate(Dataset<Row> frames) {
    return joint(frames.groupBy(UNITS[0], UNITS[1], UNITS[2]).count().collectAsList(), 0)
        .profiles();
  }

  /**
   * Bootstrap percentile intervals of the Miller-Madow estimates: each replicate weighs every
   * utterance by a Poisson(1) draw seeded by (seed, replicate, utterance).
   */
  private static void bootstrap(Dataset<Row> frames, StatsOptions o, long seed,
      Map<String, Map<String, Double>> measures) {
    Dataset<Row> perUtterance = frames.groupBy("utterance_id", UNITS).agg(count(lit(1)).as("k"));
    Dataset<Row> weighted = perUtterance
        .crossJoin(frames.sparkSession().range(o.bootstrap()).withColumnRenamed("id", "b"))
        .withColumn("w", poisson(seed).multiply(col("k")));
    // One weighted joint table per replicate (replicates x joint cells rows), the rest in memory.
    Map<Long, JointCounts> perReplicate = new HashMap<>();
    for (Row r : weighted.groupBy(col("b"), col(UNITS[0]), col(UNITS[1]), col(UNITS[2]))
        .agg(sum("w")).collectAsList()) {
      perReplicate.computeIfAbsent(r.getLong(0), b -> new JointCounts())
          .add(r.get(1), r.get(2), r.get(3), r.getLong(4));
    }
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    for (JointCounts joint : perReplicate.values()) {
      if (joint.frames() == 0) {
        continue;
      }
      joint.profiles()[1].asMap().forEach((k, v) -> samples.computeIfAbsent(k,
          x -> new ArrayList<>()).add(v / Math.log(o.base())));
    }
    double alpha = (1 - o.confidence()) / 2;
    samples.forEach((k, v) -> {
      double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      measures.get(k).put("ci_low", s[(int) Math.floor(alpha * (s.length - 1))]);
      measures.get(k).put("ci_high", s[(int) Math.ceil((1 - alpha) * (s.length - 1))]);
    });
  }

  /**
   * Every quantity per value of {@code column} (speaker, data source), plug-in and Miller-Madow,
   * to {@code by_<column without _id>/} ({@code <column>, frames, measure, plug_in,
   * miller_madow}); a missing value is grouped as {@code unknown}.
   */
  private static void byGroup(JobContext ctx, List<Row> grouped, int field, String column,
      String countName, double base) {
    Map<String, JointCounts> tables = new TreeMap<>();
    for (Row r : grouped) {
      tables.computeIfAbsent(r.getString(field), x -> new JointCounts())
          .add(r.get(2), r.get(3), r.get(4), r.getLong(5));
    }
    List<Row> rows = new ArrayList<>();
    tables.forEach((group, joint) -> {
      EntropyProfile[] h = joint.profiles();
      Map<String, Double> mm = h[1].asMap();
      h[0].asMap().forEach((q, v) -> rows.add(org.apache.spark.sql.RowFactory.create(group,
          joint.frames(), q, v / Math.log(base), mm.get(q) / Math.log(base))));
    });
    String dir = "by_" + column.replace("_id", "");
    ctx.spark().createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add(column, DataTypes.StringType).add("frames", DataTypes.LongType)
        .add("measure", DataTypes.StringType).add("plug_in", DataTypes.DoubleType)
        .add("miller_madow", DataTypes.DoubleType))
        .coalesce(1).write().parquet(ctx.out().path(dir));
    ctx.report().count(countName, tables.size()).output(dir, ctx.out().finalPath(dir));
  }

  /**
   * The joint table per (speaker, data source), counted in one aggregation: {@code speaker_id,
   * data_source, audio_unit, visual_unit, text_unit, count}, a missing group as {@code unknown}.
   * Its size is that of the per-speaker output, not of the frames.
   */
  private static List<Row> groupedCounts(Dataset<Row> frames) {
    return frames.groupBy(functions.coalesce(col("speaker_id"), lit("unknown")).as("speaker_id"),
        functions.coalesce(col("data_source"), lit("unknown")).as("data_source"),
        col(UNITS[0]), col(UNITS[1]), col(UNITS[2])).count().collectAsList();
  }

  /**
   * The joint table of count rows whose three units start at field {@code first}, followed by
   * the count.
   */
  private static JointCounts joint(Iterable<Row> rows, int first) {
    JointCounts joint = new JointCounts();
    for (Row r : rows) {
      joint.add(r.get(first), r.get(first + 1), r.get(first + 2), r.getLong(first + 3));
    }
    return joint;
  }

  /** A Poisson(1) draw from a hash of (seed, replicate b, utterance), by inverse CDF. */
  private static Column poisson(long seed) {
    Column u = pmod(xxhash64(lit(seed), col("b"), col("utterance_id")), lit(1L << 30))
        .divide((double) (1L << 30));
    double[] cdf = {0.36787944, 0.73575888, 0.91969860, 0.98101184, 0.99634015, 0.99940582,
      0.99991676, 0.99998975};
    Column k = lit(cdf.length);
    for (int i = cdf.length - 1; i >= 0; i--) {
      k = when(u.lt(cdf[i]), lit(i)).otherwise(k);
    }
    return k;
  }

  /**
   * The audio of each utterance paired, frame by frame, with another utterance's V and T.
   * Utterances are hashed into buckets of about 10,000, ordered by a seeded hash within their
   * bucket, and each takes the visual and text units of the one after it (cyclically): a
   * seeded derangement built with partitioned windows over utterance ids only. The pairs (one
   * row per utterance) are broadcast to the audio side, and one join on (utterance, frame) with
   * the frames, which are already partitioned that way, brings in the partner's units: the
   * frames cross the network once.
   */
  static Dataset<Row> shuffled(Dataset<Row> frames, long seed) {
    Dataset<Row> utterances = frames.select("utterance_id").distinct();
    long buckets = Math.max(1, (utterances.count() + 9_999) / 10_000);
    Dataset<Row> order = utterances
        .withColumn("bucket", pmod(xxhash64(lit(seed), lit("bucket"), col("utterance_id")),
            lit(buckets)))
        .withColumn("i", row_number().over(Window.partitionBy("bucket").orderBy(
            xxhash64(lit(seed), col("utterance_id")), col("utterance_id"))).minus(1))
        .withColumn("size", count(lit(1)).over(Window.partitionBy("bucket")));
    Dataset<Row> next = order.select(col("bucket"), pmod(col("i").minus(1), col("size")).as("i"),
        col("utterance_id").as("partner"));
    Dataset<Row> pairs = order.join(next, new String[] {"bucket", "i"})
        .select(col("utterance_id"), col("partner"));
    Dataset<Row> audio = frames.select(col("utterance_id"), col("frame"), col("audio_unit"))
        .join(functions.broadcast(pairs), "utterance_id")
        .select(col("partner").as("utterance_id"), col("frame"), col("audio_unit"));
    return audio.join(frames.select(col("utterance_id"), col("frame"), col("visual_unit"),
        col("text_unit")), new String[] {"utterance_id", "frame"});
  }

  /** Adds the profile's quantities, converted from nats to the requested base. */
  static void add(Map<String, Map<String, Double>> measures, String estimator,
      EntropyProfile p, double base) {
    p.asMap().forEach((k, v) -> measures.computeIfAbsent(k, x -> new LinkedHashMap<>())
        .put(estimator, v / Math.log(base)));
  }
}
