package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * unit streams. Count tables of every subset of the modalities are aggregated in Spark SQL
 * ({@link EntropySql}); from their seven entropies come I(A;V), I(A;T), I(V;T), H(T|V), H(T|A),
 * H(T|A,V), I(A;V|T) and the co-information I(A;V;T) ({@link EntropyProfile}), each plug-in and
 * Miller-Madow corrected, with bootstrap intervals that resample utterances (Poisson(1) weights,
 * since neighbouring frames repeat units) and a shuffled null that pairs the audio of one
 * utterance with the visual and text units of another, frame by frame. Frames with a missing
 * unit are set aside and counted; a repeated (utterance, frame) keeps one row. The seven tables
 * of a pass (point estimate, null, every bootstrap replicate, every speaker) come from one
 * aggregation over grouping sets ({@link EntropySql#tables}).
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
    Row present = read.agg(count("audio_unit"), count("visual_unit"), count("text_unit")).first();
    if (present.getLong(0) == 0 || present.getLong(1) == 0 || present.getLong(2) == 0) {
      throw new JobFailedException("input frames (" + source + "): audio_unit, visual_unit "
          + "and text_unit are all needed, found non-null counts " + present);
    }
    Column missing = col("audio_unit").isNull().or(col("visual_unit").isNull())
        .or(col("text_unit").isNull());
    read.filter(missing).write().parquet(ctx.out().path("_quarantine/frames_missing_units"));
    Dataset<Row> frames = read.filter(functions.not(missing))
        .withColumn("_n", row_number().over(Window.partitionBy("utterance_id", "frame")
            .orderBy("audio_unit", "visual_unit", "text_unit")))
        .filter(col("_n").equalTo(1)).drop("_n").cache();
    long n = frames.count();
    long all = read.count();
    long dropped = ctx.spark().read().parquet(ctx.out().path("_quarantine/frames_missing_units"))
        .count();
    ctx.report().count("frames", n).count("frames_missing_units", dropped)
        .count("duplicate_frames", all - dropped - n)
        .count("utterances", frames.select("utterance_id").distinct().count());

    Map<String, Map<String, Double>> measures = new LinkedHashMap<>();
    EntropyProfile[] point = ctx.report().time("point estimates", () -> estimate(frames));
    add(measures, "plug_in", point[0], o.base());
    add(measures, "miller_madow", point[1], o.base());
    EntropyProfile[] nul = ctx.report().time("shuffled null",
        () -> estimate(shuffled(frames, ctx.options().seed())));
    add(measures, "null_plug_in", nul[0], o.base());
    add(measures, "null_miller_madow", nul[1], o.base());
    if (o.bootstrap() > 0) {
      ctx.report().time("bootstrap", () -> bootstrap(frames, o, ctx.options().seed(), measures));
    }
    ctx.report().time("by speaker", () -> byGroup(ctx, frames, "speaker_id", "speakers",
        o.base()));
    ctx.report().time("by data source", () -> byGroup(ctx, frames, "data_source",
        "data_sources", o.base()));
    String unit = o.base() == 2 ? "bits" : o.base() == Math.E ? "nats" : "log base " + o.base();
    ctx.report().metric("unit", unit).metric("measures", measures);
    StatsReport.write(ctx, measures, unit, roles, title);
    frames.unpersist();
  }

  /** Plug-in and Miller-Madow profiles of the frames (weight 1 each). */
  static EntropyProfile[] estimate(Dataset<Row> frames) {
    Map<String, double[]> h = new HashMap<>();
    for (Row r : EntropySql.tables(frames.withColumn("w", lit(1L)), List.of(), List.of(UNITS),
        subsets()).collectAsList()) {
      double nn = r.getLong(1);
      h.put(r.getString(0), new double[] {EntropySql.plugIn(nn, r.getDouble(2)),
          EntropySql.millerMadow(nn, r.getDouble(2), r.getLong(3))});
    }
    return new EntropyProfile[] {profile(h, 0), profile(h, 1)};
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
    Map<Long, Map<String, double[]>> perReplicate = new HashMap<>();
    for (Row r : EntropySql.tables(weighted, List.of("b"), List.of(UNITS), subsets())
        .collectAsList()) {
      double nn = r.getLong(2);
      perReplicate.computeIfAbsent(r.getLong(0), b -> new HashMap<>())
          .put(r.getString(1), new double[] {0,
              EntropySql.millerMadow(nn, r.getDouble(3), r.getLong(4))});
    }
    Map<String, List<Double>> samples = new LinkedHashMap<>();
    for (Map<String, double[]> h : perReplicate.values()) {
      if (h.size() < subsets().size()) {
        continue;
      }
      profile(h, 1).asMap().forEach((k, v) -> samples.computeIfAbsent(k, x -> new ArrayList<>())
          .add(v / Math.log(o.base())));
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
  private static void byGroup(JobContext ctx, Dataset<Row> frames, String column,
      String countName, double base) {
    Dataset<Row> weighted = frames.withColumn(column,
        functions.coalesce(col(column), lit("unknown"))).withColumn("w", lit(1L));
    Map<String, Map<String, double[]>> perSpeaker = new LinkedHashMap<>();
    Map<String, Long> sizes = new HashMap<>();
    for (Row r : EntropySql.tables(weighted, List.of(column), List.of(UNITS), subsets())
        .collectAsList()) {
      double nn = r.getLong(2);
      sizes.put(r.getString(0), r.getLong(2));
      perSpeaker.computeIfAbsent(r.getString(0), x -> new HashMap<>()).put(r.getString(1),
          new double[] {EntropySql.plugIn(nn, r.getDouble(3)),
              EntropySql.millerMadow(nn, r.getDouble(3), r.getLong(4))});
    }
    List<Row> rows = new ArrayList<>();
    perSpeaker.forEach((speaker, h) -> {
      Map<String, Double> plug = profile(h, 0).asMap();
      Map<String, Double> mm = profile(h, 1).asMap();
      plug.forEach((q, v) -> rows.add(org.apache.spark.sql.RowFactory.create(speaker,
          sizes.get(speaker), q, v / Math.log(base), mm.get(q) / Math.log(base))));
    });
    String dir = "by_" + column.replace("_id", "");
    ctx.spark().createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add(column, DataTypes.StringType).add("frames", DataTypes.LongType)
        .add("measure", DataTypes.StringType).add("plug_in", DataTypes.DoubleType)
        .add("miller_madow", DataTypes.DoubleType))
        .write().parquet(ctx.out().path(dir));
    ctx.report().count(countName, perSpeaker.size()).output(dir, ctx.out().finalPath(dir));
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
   * bucket, and each takes the visual and text units of the one before it (cyclically): a
   * seeded derangement built with partitioned windows only, so it scales with the executors.
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
    Dataset<Row> audio = frames.join(order, "utterance_id")
        .select(col("bucket"), col("i"), col("frame"), col("audio_unit"), col("utterance_id"));
    Dataset<Row> partner = frames.join(order, "utterance_id")
        .select(col("bucket"), pmod(col("i").minus(1), col("size")).as("i"), col("frame"),
            col("visual_unit"), col("text_unit"));
    return audio.join(partner, new String[] {"bucket", "i", "frame"});
  }

  private static List<List<String>> subsets() {
    List<List<String>> out = new ArrayList<>();
    for (int mask = 1; mask < 8; mask++) {
      List<String> s = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        if ((mask & (1 << i)) != 0) {
          s.add(UNITS[i]);
        }
      }
      out.add(s);
    }
    return out;
  }

  private static EntropyProfile profile(Map<String, double[]> h, int which) {
    return new EntropyProfile(h.get("audio_unit")[which], h.get("visual_unit")[which],
        h.get("text_unit")[which], h.get("audio_unit,visual_unit")[which],
        h.get("audio_unit,text_unit")[which], h.get("visual_unit,text_unit")[which],
        h.get("audio_unit,visual_unit,text_unit")[which]);
  }

  /** Adds the profile's quantities, converted from nats to the requested base. */
  static void add(Map<String, Map<String, Double>> measures, String estimator,
      EntropyProfile p, double base) {
    p.asMap().forEach((k, v) -> measures.computeIfAbsent(k, x -> new LinkedHashMap<>())
        .put(estimator, v / Math.log(base)));
  }
}
