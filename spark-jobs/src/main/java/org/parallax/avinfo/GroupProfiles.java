package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;

/**
 * Every quantity of {@link EntropyProfile}, plug-in and Miller-Madow, per value of a grouping
 * column (speaker, data source), computed in SQL from joint count rows: the seven tables of
 * each group by one explode and one aggregation, each table's frames, sum of c ln c and cells
 * by another, the entropies as {@link JointCounts#profiles(long, double[], long[])} takes them
 * and each quantity as its linear combination of the seven. Nothing grows on the driver with
 * the number of speakers, and every operator is relational (it runs on GPUs under RAPIDS).
 */
final class GroupProfiles {
  private GroupProfiles() {}

  /** The units kept by each of the seven tables (A, V, T, AV, AT, VT, AVT). */
  static final boolean[][] KEEPS = {{true, false, false}, {false, true, false},
    {false, false, true}, {true, true, false}, {true, false, true}, {false, true, true},
    {true, true, true}};

  /**
   * The rows {@code <key>, frames, measure, plug_in, miller_madow} (15 per group, in the
   * logarithm base {@code base}) of joint counts {@code grouped} ({@code key}, the three units
   * and {@code c}, the frames of the cell in that group).
   */
  static Dataset<Row> of(Dataset<Row> grouped, String key, double base) {
    Column[] tables = new Column[7];
    for (int g = 0; g < 7; g++) {
      Column[] f = new Column[5];
      f[0] = lit(g).as("g");
      for (int i = 0; i < 3; i++) {
        DataType type = grouped.schema().apply(StatsJob.UNITS[i]).dataType();
        f[i + 1] = (KEEPS[g][i] ? col(StatsJob.UNITS[i]) : lit(null).cast(type)).as("u" + i);
      }
      f[4] = col("c").as("c");
      tables[g] = functions.struct(f);
    }
    Dataset<Row> cells = grouped.select(col(key), functions.explode(functions.array(tables))
            .as("x")).select(col(key), col("x.*"))
        .groupBy(col(key), col("g"), col("u0"), col("u1"), col("u2")).agg(sum("c").as("c"));
    Dataset<Row> perTable = cells.groupBy(col(key), col("g")).agg(sum("c").as("n"),
        sum(col("c").multiply(functions.log(col("c")))).as("s"), count(lit(1)).as("cells"));
    // Per group, the seven plug-in entropies and their Miller-Madow terms as columns.
    Column n = col("n").cast("double");
    Column plugIn = functions.log(col("n")).minus(col("s").divide(n));
    Column[] wide = new Column[15];
    wide[0] = max(when(col("g").equalTo(6), col("n"))).as("frames");
    for (int g = 0; g < 7; g++) {
      wide[1 + g] = max(when(col("g").equalTo(g), plugIn)).as("h" + g);
      wide[8 + g] = max(when(col("g").equalTo(g), plugIn.plus(col("cells").minus(1)
          .divide(n.multiply(2.0))))).as("m" + g);
    }
    Dataset<Row> entropies = perTable.groupBy(col(key)).agg(wide[0],
        java.util.Arrays.copyOfRange(wide, 1, wide.length));
    List<Column> measures = new ArrayList<>();
    double ln = Math.log(base);
    for (Map.Entry<String, double[]> q : EntropyProfile.coefficients().entrySet()) {
      measures.add(functions.struct(lit(q.getKey()).as("measure"),
          combination(q.getValue(), "h").divide(ln).as("plug_in"),
          combination(q.getValue(), "m").divide(ln).as("miller_madow")));
    }
    return entropies.select(col(key), col("frames"), functions.explode(functions.array(
            measures.toArray(new Column[0]))).as("x"))
        .select(col(key), col("frames"), col("x.measure"), col("x.plug_in"),
            col("x.miller_madow"));
  }

  /**
   * The same rows as {@link #of}, each group's joint table summed in memory from per-utterance
   * run records ({@link UtteranceRuns}; the group of a run is its speaker for
   * {@code speaker_id}, else its data source): every partition sorts its records by group and
   * adds each group's runs into one compact table ({@link CellCounts}), the partial tables are
   * merged by group (one exchange of tables as arrays, not of rows) and each group's profiles
   * come from {@link CellCounts#profiles}. Two stages, where the relational form plans a
   * dozen: the CPU formulation ({@link RecordCounting}).
   */
  static Dataset<Row> ofRecords(org.apache.spark.sql.SparkSession spark,
      org.apache.spark.api.java.JavaRDD<UtteranceRuns.Runs> records, String key, double base) {
    boolean bySpeaker = key.equals("speaker_id");
    double ln = Math.log(base);
    org.apache.spark.api.java.JavaRDD<Row> rows = records.mapPartitionsToPair(it -> {
      // The partition's (record, pair) entries sorted by group: one group's table is built at
      // a time (in cache), not one table per group of the partition at once.
      List<UtteranceRuns.Runs> held = new ArrayList<>();
      it.forEachRemaining(held::add);
      List<long[]> entries = new ArrayList<>();
      for (int k = 0; k < held.size(); k++) {
        for (int g = 0; g < held.get(k).speakers.length; g++) {
          entries.add(new long[] {k, g});
        }
      }
      java.util.function.Function<long[], String> name = e -> {
        UtteranceRuns.Runs r = held.get((int) e[0]);
        return (bySpeaker ? r.speakers : r.sources)[(int) e[1]];
      };
      entries.sort((x, y) -> name.apply(x).compareTo(name.apply(y)));
      // Partial tables cross the exchange as plain arrays {a, v, t, c, ...}.
      List<scala.Tuple2<String, long[]>> out = new ArrayList<>();
      String current = null;
      CellCounts table = null;
      for (long[] e : entries) {
        String group = name.apply(e);
        if (!group.equals(current)) {
          if (table != null) {
            out.add(new scala.Tuple2<>(current, table.packed()));
          }
          current = group;
          table = new CellCounts();
        }
        UtteranceRuns.Runs r = held.get((int) e[0]);
        for (int i = 0; i < r.size(); i++) {
          if (r.g[i] == e[1]) {
            table.add(r.a[i], r.v[i], r.t[i], r.len[i]);
          }
        }
      }
      if (table != null) {
        out.add(new scala.Tuple2<>(current, table.packed()));
      }
      return out.iterator();
    }).reduceByKey((x, y) -> {
      long[] both = java.util.Arrays.copyOf(x, x.length + y.length);
      System.arraycopy(y, 0, both, x.length, y.length);
      return both;
    }).flatMap(e -> {
      long[] frames = new long[1];
      EntropyProfile[] h = CellCounts.profiles(e._2(), frames);
      Map<String, Double> mm = h[1].asMap();
      List<Row> out = new ArrayList<>();
      h[0].asMap().forEach((q, v) -> out.add(org.apache.spark.sql.RowFactory.create(e._1(),
          frames[0], q, v / ln, mm.get(q) / ln)));
      return out.iterator();
    });
    return spark.createDataFrame(rows, new org.apache.spark.sql.types.StructType()
        .add(key, org.apache.spark.sql.types.DataTypes.StringType)
        .add("frames", org.apache.spark.sql.types.DataTypes.LongType)
        .add("measure", org.apache.spark.sql.types.DataTypes.StringType)
        .add("plug_in", org.apache.spark.sql.types.DataTypes.DoubleType)
        .add("miller_madow", org.apache.spark.sql.types.DataTypes.DoubleType));
  }

  /** The sum of {@code coef[g] * <prefix>g} over the tables with a coefficient. */
  private static Column combination(double[] coef, String prefix) {
    Column out = null;
    for (int g = 0; g < 7; g++) {
      if (coef[g] != 0) {
        Column term = coef[g] == 1 ? col(prefix + g) : col(prefix + g).multiply(coef[g]);
        out = out == null ? term : out.plus(term);
      }
    }
    return out;
  }
}
