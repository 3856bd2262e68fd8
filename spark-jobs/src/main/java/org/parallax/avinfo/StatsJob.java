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
import java.util.EnumMap;
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
 * H(T|A), H(T|A,V), I(A;V|T) and the co-information I(A;V;T) ({@link EntropyProfile}). Spark
 * counts tables only; every estimate, interval and null is computed from them by {@link
 * StatsEstimates} (plug-in, Miller-Madow, delete-one-utterance jackknife, bootstrap-corrected,
 * null-subtracted): the per-utterance tables (one aggregation, partitioned by utterance) feed
 * the jackknife and the bootstrap replicates (Poisson(1) utterance weights, since neighbouring
 * frames repeat units, one weighted joint table per replicate), and one frame join of each
 * utterance with a partner gives the three shuffled nulls of {@link NullPairing}. Frames with a
 * missing unit are set aside and counted; a repeated (utterance, frame) keeps one row.
 */
public final class StatsJob implements Job<StatsOptions> {
  static final String[] UNITS = {"audio_unit", "visual_unit", "text_unit"};
  /** Utterances per bucket of the shuffled null's derangement. */
  static final long UTTERANCES_PER_BUCKET = 10_000;

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

    // One count of the joint table per (speaker, data source): the point estimates and both
    // breakdowns are derived from it in memory.
    List<Row> grouped = ctx.report().time("joint counts", () -> groupedCounts(frames));
    JointCounts total = joint(grouped, 2);
    StatsEstimates estimates = new StatsEstimates(total, o.confidence());
    // Partitioned by utterance once: the per-utterance tables and every jackknife aggregation
    // after them (all keyed by utterance first) then need no further exchange.
    Dataset<Row> perUtterance = frames.repartition(col("utterance_id"))
        .groupBy(col("utterance_id"), col(UNITS[0]), col(UNITS[1]), col(UNITS[2]))
        .agg(count(lit(1)).as("k")).cache();
    ctx.report().time("jackknife", () -> estimates.jackknife(jackknife(perUtterance, total)));
    if (estimates.jackknifeUtterances() >= 2) {
      ctx.report().time("shuffled nulls", () -> shuffledTables(frames, ctx.options().seed(),
          UTTERANCES_PER_BUCKET).forEach(estimates::nulls));
    } else {
      ctx.report().metric("null", "not computed: a shuffled null needs at least two utterances");
    }
    if (o.bootstrap() > 0) {
      ctx.report().time("bootstrap", () -> estimates.bootstrap(
          bootstrap(perUtterance, o.bootstrap(), ctx.options().seed())));
    }
    perUtterance.unpersist();
    Map<String, Map<String, Double>> measures = estimates.measures(o.base());
    Map<String, String> pairings = new LinkedHashMap<>();
    measures.keySet().forEach(q -> pairings.put(q, NullPairing.of(q).description()));
    double effective = estimates.effectiveFrames();
    if (!Double.isNaN(effective)) {
      ctx.report().count("effective_frames", Math.round(effective));
    }
    List<String> warnings = estimates.warnings(o.base());
    warnings.forEach(w -> System.err.println(title + ": warning: " + w));
    ctx.report().metric("null_pairings", pairings).metric("warnings", warnings);
    byGroup(ctx, grouped, 0, "speaker_id", "speakers", o.base());
    byGroup(ctx, grouped, 1, "data_source", "data_sources", o.base());
    String unit = o.base() == 2 ? "bits" : o.base() == Math.E ? "nats" : "log base " + o.base();
    ctx.report().metric("unit", unit).metric("measures", measures);
    StatsReport.write(ctx, measures, unit, roles, title, warnings);
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
   * The bootstrap replicates' joint tables: each replicate weighs every utterance's table by a
   * Poisson(1) draw seeded by (seed, replicate, utterance), and one aggregation sums them into
   * one weighted joint table per replicate (replicates x joint cells rows).
   */
  private static List<JointCounts> bootstrap(Dataset<Row> perUtterance, int replicates,
      long seed) {
    Dataset<Row> weighted = perUtterance
        .crossJoin(perUtterance.sparkSession().range(replicates).withColumnRenamed("id", "b"))
        .withColumn("w", poisson(seed).multiply(col("k")));
    Map<Long, JointCounts> perReplicate = new TreeMap<>();
    for (Row r : weighted.groupBy(col("b"), col(UNITS[0]), col(UNITS[1]), col(UNITS[2]))
        .agg(sum("w")).collectAsList()) {
      perReplicate.computeIfAbsent(r.getLong(0), b -> new JointCounts())
          .add(r.get(1), r.get(2), r.get(3), r.getLong(4));
    }
    return new ArrayList<>(perReplicate.values());
  }

  /**
   * The delete-one-utterance jackknife, counted in SQL: per utterance and per cell of each of
   * the seven tables it touches, the change that leaving it out makes to the table's sum of
   * c ln c, joined with the whole table's counts (broadcast, a few hundred rows); per utterance
   * the seven leave-one-out plug-in entropies, then every quantity's deviation from the whole
   * corpus's estimate; summed over utterances (sum and sum of squares) into a {@link Jackknife}.
   * Equal to streaming each utterance's table through {@link Jackknife#add} (a test).
   */
  static Jackknife jackknife(Dataset<Row> perUtterance, JointCounts total) {
    org.apache.spark.sql.types.StructType schema = perUtterance.schema();
    org.apache.spark.sql.types.DataType[] types = new org.apache.spark.sql.types.DataType[3];
    for (int i = 0; i < 3; i++) {
      types[i] = schema.apply(UNITS[i]).dataType();
    }
    boolean[][] keeps = {{true, false, false}, {false, true, false}, {false, false, true},
      {true, true, false}, {true, false, true}, {false, true, true}, {true, true, true}};
    Column[] tables = new Column[7];
    for (int g = 0; g < 7; g++) {
      Column[] f = new Column[5];
      f[0] = lit(g).as("g");
      for (int i = 0; i < 3; i++) {
        f[i + 1] = (keeps[g][i] ? col(UNITS[i]) : lit(null).cast(types[i])).as("u" + i);
      }
      f[4] = col("k").as("k");
      tables[g] = functions.struct(f);
    }
    List<Row> wholeRows = new ArrayList<>();
    total.forEachTableCell((g, a, v, t, c) -> wholeRows.add(
        org.apache.spark.sql.RowFactory.create(g, a, v, t, c)));
    Dataset<Row> whole = perUtterance.sparkSession().createDataFrame(wholeRows,
        new org.apache.spark.sql.types.StructType().add("wg", DataTypes.IntegerType)
            .add("w0", types[0]).add("w1", types[1]).add("w2", types[2])
            .add("all", DataTypes.LongType));
    Dataset<Row> cells = perUtterance.select(col("utterance_id"),
            functions.explode(functions.array(tables)).as("x"))
        .select(col("utterance_id"), col("x.*"))
        .groupBy("utterance_id", "g", "u0", "u1", "u2").agg(sum("k").as("c"));
    Column left = col("all").minus(col("c"));
    Dataset<Row> change = cells.join(functions.broadcast(whole), col("g").equalTo(col("wg"))
            .and(col("u0").eqNullSafe(col("w0"))).and(col("u1").eqNullSafe(col("w1")))
            .and(col("u2").eqNullSafe(col("w2"))))
        .groupBy("utterance_id", "g")
        .agg(sum(when(left.gt(0), left.multiply(functions.log(left))).otherwise(0.0)
            .minus(col("all").multiply(functions.log(col("all"))))).as("d"),
            sum("c").as("n"));
    double n = total.frames();
    Column[] perTable = new Column[8];
    for (int g = 0; g < 7; g++) {
      perTable[g] = sum(when(col("g").equalTo(g), col("d")).otherwise(0.0)).as("d" + g);
    }
    perTable[7] = functions.max("n").as("n");
    Dataset<Row> utterances = change.groupBy("utterance_id").agg(perTable[0],
        java.util.Arrays.copyOfRange(perTable, 1, 8));
    Column rest = lit(n).minus(col("n"));
    Column[] h = new Column[7];
    for (int g = 0; g < 7; g++) {
      h[g] = functions.log(rest).minus(lit(total.sumCLogC(g)).plus(col("d" + g)).divide(rest));
    }
    double[] full = Jackknife.values(total.profiles()[0]);
    List<Column> sums = new ArrayList<>();
    int q = 0;
    for (double[] coef : EntropyProfile.coefficients().values()) {
      Column theta = lit(0.0);
      for (int g = 0; g < 7; g++) {
        if (coef[g] != 0) {
          theta = theta.plus(h[g].multiply(coef[g]));
        }
      }
      Column d = when(rest.gt(0), theta.minus(full[q])).otherwise(0.0);
      sums.add(sum(d).as("s" + q));
      sums.add(sum(d.multiply(d)).as("q" + q));
      q++;
    }
    sums.add(count(lit(1)).as("utterances"));
    Row r = utterances.agg(sums.get(0), sums.subList(1, sums.size()).toArray(new Column[0]))
        .first();
    double[] s = new double[full.length];
    double[] sq = new double[full.length];
    for (int i = 0; i < full.length; i++) {
      s[i] = r.isNullAt(2 * i) ? 0 : r.getDouble(2 * i);
      sq[i] = r.isNullAt(2 * i + 1) ? 0 : r.getDouble(2 * i + 1);
    }
    return Jackknife.ofSums(total, s, sq, r.getLong(2 * full.length));
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
   * The three shuffled tables of {@link NullPairing}, from one join: every frame of an
   * utterance meets the same frame of its partner ({@link #partners}), the joined (own,
   * partner) units are counted, and each count is split into one row per pairing (one
   * modality, or for audio the other two, taken from the partner), summed
   * in one aggregation. The pairs (one row per utterance) are broadcast to one side, and the
   * other side, the frames, is already partitioned by (utterance, frame): the frames cross the
   * network once. Frames the partner lacks drop out.
   */
  static Map<NullPairing, JointCounts> shuffledTables(Dataset<Row> frames, long seed,
      long perBucket) {
    Dataset<Row> own = frames.select(col("utterance_id"), col("frame"), col(UNITS[0]).as("a"),
        col(UNITS[1]).as("v"), col(UNITS[2]).as("t"))
        .join(functions.broadcast(partners(frames, seed, perBucket)), "utterance_id")
        .drop("utterance_id").withColumnRenamed("partner", "utterance_id");
    Dataset<Row> joined = own.join(frames.select(col("utterance_id"), col("frame"),
        col(UNITS[0]).as("a2"), col(UNITS[1]).as("v2"), col(UNITS[2]).as("t2")),
        new String[] {"utterance_id", "frame"});
    Column rows = functions.array(
        functions.struct(lit(NullPairing.AUDIO_SHUFFLED.ordinal()).as("p"), col("a").as("a"),
            col("v2").as("v"), col("t2").as("t")),
        functions.struct(lit(NullPairing.VISUAL_SHUFFLED.ordinal()).as("p"), col("a").as("a"),
            col("v2").as("v"), col("t").as("t")),
        functions.struct(lit(NullPairing.TEXT_SHUFFLED.ordinal()).as("p"), col("a").as("a"),
            col("v").as("v"), col("t2").as("t")));
    Map<NullPairing, JointCounts> out = new EnumMap<>(NullPairing.class);
    for (NullPairing p : NullPairing.values()) {
      out.put(p, new JointCounts());
    }
    // Count the joined (own, partner) unit pairs first, then split each count into the three
    // pairings: the explode runs over distinct pairs, not frames.
    for (Row r : joined.groupBy("a", "v", "t", "a2", "v2", "t2").count()
        .select(functions.explode(rows).as("x"), col("count"))
        .groupBy(col("x.p"), col("x.a"), col("x.v"), col("x.t")).agg(sum("count"))
        .collectAsList()) {
      out.get(NullPairing.values()[r.getInt(0)]).add(r.get(1), r.get(2), r.get(3),
          r.getLong(4));
    }
    return out;
  }

  /**
   * A seeded derangement of the utterances ({@code utterance_id, partner}, one row each, never
   * an utterance with itself): utterances are hashed into buckets of about {@code perBucket},
   * ordered by a seeded hash within their bucket, and each takes the one after it (cyclically).
   * A bucket the hash left with a single utterance, which would pair it with itself, is merged
   * into the first bucket with two or more (all into one if every bucket is a singleton).
   * Partitioned windows over utterance ids only, and aggregations over the buckets (a row
   * each). Needs at least two utterances.
   */
  static Dataset<Row> partners(Dataset<Row> frames, long seed, long perBucket) {
    Dataset<Row> utterances = frames.select("utterance_id").distinct();
    long buckets = Math.max(1, (utterances.count() + perBucket - 1) / perBucket);
    Dataset<Row> hashed = utterances.withColumn("bucket",
        pmod(xxhash64(lit(seed), lit("bucket"), col("utterance_id")), lit(buckets)));
    Dataset<Row> sizes = hashed.groupBy("bucket").agg(count(lit(1)).as("size"));
    Dataset<Row> firstLarge = sizes.agg(functions.min(when(col("size").geq(2), col("bucket")))
        .as("large"));
    Dataset<Row> merged = sizes.crossJoin(firstLarge).select(col("bucket"),
        when(col("size").geq(2), col("bucket"))
            .otherwise(functions.coalesce(col("large"), lit(0L))).as("target"));
    Dataset<Row> order = hashed.join(functions.broadcast(merged), "bucket")
        .select(col("utterance_id"), col("target").as("bucket"))
        .withColumn("i", row_number().over(Window.partitionBy("bucket").orderBy(
            xxhash64(lit(seed), col("utterance_id")), col("utterance_id"))).minus(1))
        .withColumn("size", count(lit(1)).over(Window.partitionBy("bucket")));
    Dataset<Row> next = order.select(col("bucket"), pmod(col("i").minus(1), col("size")).as("i"),
        col("utterance_id").as("partner"));
    return order.join(next, new String[] {"bucket", "i"})
        .select(col("utterance_id"), col("partner"));
  }

  /** Adds the profile's quantities, converted from nats to the requested base. */
  static void add(Map<String, Map<String, Double>> measures, String estimator,
      EntropyProfile p, double base) {
    p.asMap().forEach((k, v) -> measures.computeIfAbsent(k, x -> new LinkedHashMap<>())
        .put(estimator, v / Math.log(base)));
  }
}
