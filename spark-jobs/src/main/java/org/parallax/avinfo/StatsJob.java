package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.CheckedInput;
import org.parallax.common.InputFormat;
import org.parallax.common.InputSchema;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;
import org.parallax.common.TableReader;

/**
 * {@code avinfo stats}: entropies and informations of aligned audio (A), visual (V) and text (T)
 * unit streams. A {@link StatsCounting} folds the valid frames into runs and counts every table
 * from them; {@link StatsEstimates} computes every estimate, interval and null from the tables.
 * Frames with a missing unit are set aside and counted; a repeated (utterance, frame) keeps one
 * row.
 */
public final class StatsJob implements Job<StatsOptions> {
  static final String[] UNITS = {"audio_unit", "visual_unit", "text_unit"};

  @Override
  public String name() {
    return "avinfo stats";
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
    InputFormat format = InputFormat.of(o.frames(), o.format());
    if (StatsCounting.records(ctx.spark())) {
      // On CPUs the input is read once: the pass that folds the valid frames counts it too.
      CheckedInput in = ctx.reader().check(o.frames(), format, schema);
      CheckedFold.InputCounts[] c = new CheckedFold.InputCounts[1];
      try (RecordCounting counting = RecordCounting.ofChecked(in.checked().withColumn("bad",
          in.malformed()), c)) {
        ctx.reader().account(in, c[0].rows, c[0].bad);
        requireUnits(c[0].audio, c[0].visual, c[0].text, o.frames());
        quarantineMissing(ctx, in.accepted(), c[0].missing);
        tables(ctx, counting, c[0].kept, c[0].missing, o, ROLES, "avinfo stats");
      }
      return;
    }
    // The reader's counts and the ones the report needs before the tables, in one pass.
    TableReader.Read read = ctx.reader().read(o.frames(), format, schema,
        present(TableReader.wellFormed()));
    analyse(ctx, read.accepted(), read.aggregates(), o.frames(), o, ROLES, "avinfo stats");
  }

  private static final String[] ROLES = {"A (audio)", "V (visual)", "T (text)"};

  /** A frame with a missing unit, set aside. */
  private static Column missing() {
    return col("audio_unit").isNull().or(col("visual_unit").isNull())
        .or(col("text_unit").isNull());
  }

  /**
   * The counts before the tables, over the rows where {@code kept} holds: non-null A, V and T,
   * rows, rows with a missing unit.
   */
  private static Column[] present(Column kept) {
    return new Column[] {count(when(kept, col("audio_unit"))),
      count(when(kept, col("visual_unit"))), count(when(kept, col("text_unit"))),
      count(when(kept, lit(1))), sum(when(kept.and(missing()), 1L).otherwise(0L))};
  }

  /**
   * Everything {@code stats} computes, on frames already read ({@code utterance_id, frame,
   * speaker_id, data_source} and the units); {@code source} names them in errors, {@code roles}
   * the three variables.
   */
  public static void analyse(JobContext ctx, Dataset<Row> read, String source, StatsOptions o,
      String[] roles, String title) {
    // One pass for every count the report needs before the tables.
    Column[] present = present(lit(true));
    analyse(ctx, read, read.agg(present[0], java.util.Arrays.copyOfRange(present, 1, 5))
        .first(), source, o, roles, title);
  }

  /** As above, given the counts of {@link #present} over {@code read}. */
  private static void analyse(JobContext ctx, Dataset<Row> read, Row present, String source,
      StatsOptions o, String[] roles, String title) {
    requireUnits(present.getLong(0), present.getLong(1), present.getLong(2), source);
    long all = present.getLong(3);
    long dropped = present.isNullAt(4) ? 0 : present.getLong(4);
    quarantineMissing(ctx, read, dropped);
    try (StatsCounting counting = StatsCounting.of(ctx.spark(),
        read.filter(functions.not(missing())))) {
      tables(ctx, counting, all, dropped, o, roles, title);
    }
  }

  /** Fails unless each unit has a non-null value somewhere (given their non-null counts). */
  private static void requireUnits(long audio, long visual, long text, String source) {
    if (audio == 0 || visual == 0 || text == 0) {
      throw new JobFailedException("input frames (" + source + "): audio_unit, visual_unit "
          + "and text_unit are all needed, found non-null counts [" + audio + "," + visual
          + "," + text + "]");
    }
  }

  /** Sets the {@code dropped} frames of {@code read} with a missing unit aside. */
  private static void quarantineMissing(JobContext ctx, Dataset<Row> read, long dropped) {
    if (dropped > 0) {
      read.filter(missing()).write().parquet(ctx.out().path("_quarantine/frames_missing_units"));
    }
  }

  /** Every table and estimate from the runs that {@code counting} gives, and the reports. */
  private static void tables(JobContext ctx, StatsCounting counting, long all, long dropped,
      StatsOptions o, String[] roles, String title) {
    // The whole table (a few hundred cells, to the driver): the frame count and every
    // estimate come from it.
    JointCounts total = ctx.report().time("joint counts", counting::total);
    long n = total.frames();
    ctx.report().count("frames", n).count("frames_missing_units", dropped)
        .count("duplicate_frames", all - dropped - n);
    StatsEstimates estimates = new StatsEstimates(total, o.confidence());
    ctx.report().time("jackknife", () -> estimates.jackknife(counting.jackknife(total)));
    // The jackknife left out every utterance once: their number, without a count of its own.
    long utterances = estimates.jackknifeUtterances();
    ctx.report().count("utterances", utterances);
    if (utterances >= 2) {
      ctx.report().time("nulls", () -> counting.nulls(utterances, ctx.options().seed())
          .forEach(estimates::nulls));
    } else {
      ctx.report().metric("null", "not computed: a shuffled null needs at least two utterances");
    }
    if (o.bootstrap() > 0) {
      ctx.report().time("bootstrap", () -> estimates.bootstrap(
          counting.bootstrap(o.bootstrap(), ctx.options().seed())));
    }
    Map<String, Map<String, Double>> measures = estimates.measures(o.base());
    Map<String, String> pairings = new LinkedHashMap<>();
    measures.keySet().forEach(q -> pairings.put(q, NullPairing.of(q).description()));
    double effective = estimates.effectiveFrames();
    if (!Double.isNaN(effective)) {
      ctx.report().count("effective_frames", Math.round(effective));
    }
    List<String> warnings = estimates.warnings(o.base());
    warnings.forEach(w -> System.err.println(title + ": warning: " + w));
    ctx.report().metric("null_pairings", pairings).metric("warnings", warnings)
        .metric("corrected_by", estimates.correctedBy());
    List<Significance> whole = tests(ctx, counting, null, o);
    ctx.report().metric("significance", Significance.summary(whole, o.nullReplicates(),
        o.alpha()));
    byGroup(ctx, counting, "speaker_id", "speakers", o);
    byGroup(ctx, counting, "data_source", "data_sources", o);
    String unit = o.base() == 2 ? "bits" : o.base() == Math.E ? "nats" : "log base " + o.base();
    ctx.report().metric("unit", unit).metric("measures", measures);
    StatsReport.write(ctx, measures, unit, roles, title, warnings, whole, o.nullReplicates());
  }

  /**
   * Every quantity per value of {@code column} (speaker, data source; a missing one as {@code
   * unknown}), plug-in and Miller-Madow, with each information's permutation test (null for
   * entropies and groups of one utterance), to {@code by_<column without _id>/}.
   */
  private static void byGroup(JobContext ctx, StatsCounting counting, String column,
      String countName, StatsOptions o) {
    Map<List<String>, Significance> tests = new java.util.HashMap<>();
    tests(ctx, counting, column, o).forEach(t -> tests.put(List.of(t.group(), t.quantity()), t));
    // The groups' rows (15 each) to the driver, each beside its test: one Spark job, then a write.
    Dataset<Row> profiles = counting.profiles(column, o.base());
    List<Row> rows = new java.util.ArrayList<>();
    for (Row r : profiles.collectAsList()) {
      Significance t = tests.get(List.of(r.getString(0), r.getString(2)));
      rows.add(org.apache.spark.sql.RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3),
          r.get(4), t == null ? null : t.pValue(), t == null ? null : t.pBh(),
          t == null ? null : t.significant()));
    }
    String dir = "by_" + column.replace("_id", "");
    ctx.spark().createDataFrame(rows, profiles.schema().add("p_value", DataTypes.DoubleType)
        .add("p_bh", DataTypes.DoubleType).add("significant", DataTypes.BooleanType))
        .coalesce(1).write().parquet(ctx.out().path(dir));
    ctx.report().count(countName, rows.size() / EntropyProfile.NAMES.size())
        .output(dir, ctx.out().finalPath(dir));
  }

  /**
   * The permutation tests of the whole corpus ({@code key} null) or of each group of {@code key},
   * adjusted together; none with {@code --null-replicates 0}.
   */
  private static List<Significance> tests(JobContext ctx, StatsCounting counting, String key,
      StatsOptions o) {
    if (o.nullReplicates() == 0) {
      return List.of();
    }
    long seed = ctx.options().seed();
    Map<String, long[]> atLeast = ctx.report().time("significance"
        + (key == null ? "" : " by " + key), () -> new java.util.TreeMap<>(
            counting.nullsAtLeastObserved(key, seed, o.nullReplicates())));
    return Significance.of(atLeast, o.nullReplicates(), o.alpha());
  }

  /**
   * The runs of valid frames ({@code utterance_id, speaker_id, data_source, start, len} and the
   * units) by relational operators: frames of one utterance sorted by (frame, units, speaker,
   * source), a repeated frame keeping its first row, folded into maximal runs with the same units,
   * speaker and source. One exchange by utterance.
   */
  static Dataset<Row> runs(Dataset<Row> frames) {
    // A total order: duplicates keep the same row in every run and in the record path.
    WindowSpec order = Window.partitionBy("utterance_id").orderBy(col("frame"), col(UNITS[0]),
        col(UNITS[1]), col(UNITS[2]), col("speaker_id"), col("data_source"));
    Column[] keep = {col("speaker_id"), col("data_source"), col(UNITS[0]), col(UNITS[1]),
      col(UNITS[2])};
    Column same = functions.lag(col("frame"), 1).over(order).equalTo(col("frame").minus(1));
    for (Column c : keep) {
      same = same.and(functions.lag(c, 1).over(order).eqNullSafe(c));
    }
    Dataset<Row> unique = frames.select(col("utterance_id"), col("frame"),
        functions.coalesce(col("speaker_id"), lit("unknown")).as("speaker_id"),
        functions.coalesce(col("data_source"), lit("unknown")).as("data_source"),
        col(UNITS[0]), col(UNITS[1]), col(UNITS[2]))
        .withColumn("_prev", functions.lag(col("frame"), 1).over(order))
        .filter(col("_prev").isNull().or(col("_prev").notEqual(col("frame"))))
        .withColumn("_start", when(functions.coalesce(same, lit(false)), 0).otherwise(1))
        .withColumn("_run", sum("_start").over(order.rowsBetween(Window.unboundedPreceding(),
            Window.currentRow())));
    return unique.groupBy(col("utterance_id"), col("_run"), col("speaker_id"),
            col("data_source"), col(UNITS[0]), col(UNITS[1]), col(UNITS[2]))
        .agg(functions.min("frame").as("start"), count(lit(1)).as("len")).drop("_run");
  }

  /** The joint table of rows with the three units from field {@code first}, then the count. */
  static JointCounts joint(Iterable<Row> rows, int first) {
    JointCounts joint = new JointCounts();
    for (Row r : rows) {
      joint.add(r.getInt(first), r.getInt(first + 1), r.getInt(first + 2),
          r.getLong(first + 3));
    }
    return joint;
  }

  /** Adds the profile's quantities, converted from nats to the requested base. */
  static void add(Map<String, Map<String, Double>> measures, String estimator,
      EntropyProfile p, double base) {
    p.asMap().forEach((k, v) -> measures.computeIfAbsent(k, x -> new LinkedHashMap<>())
        .put(estimator, v / Math.log(base)));
  }
}
