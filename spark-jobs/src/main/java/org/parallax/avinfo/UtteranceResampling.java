package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The utterance resamplings of {@code avinfo stats}, counted in SQL over the per-utterance
 * joint tables ({@code utterance_id, audio_unit, visual_unit, text_unit, k}), never over
 * frames: the delete-one-utterance {@link Jackknife} and the Poisson(1) bootstrap, whose
 * replicates are columns of one aggregation (one weighted sum per replicate over the
 * per-utterance rows), not a cross join of rows with replicates. The job streams both over
 * per-utterance run records in memory ({@link #jackknife(JavaRDD, JointCounts)},
 * {@link #bootstrap(JavaRDD, int, long, DenseCells)}); the SQL formulations are the references
 * the tests compare them with.
 */
final class UtteranceResampling {
  private UtteranceResampling() {}

  /** The Poisson(1) CDF at 0..7 that {@link #poisson} and {@link #poissonDraw} invert. */
  private static final double[] POISSON_CDF = {0.36787944, 0.73575888, 0.91969860, 0.98101184,
    0.99634015, 0.99940582, 0.99991676, 0.99998975};

  /** Spark's default seed of {@code xxhash64}. */
  private static final long XXHASH_SEED = 42L;

  /**
   * The delete-one-utterance jackknife over per-utterance run records ({@link UtteranceRuns}):
   * each partition streams its utterances' tables through a {@link Jackknife} over the whole
   * table (a few hundred cells, shipped with the task), and the partial sums (one small object
   * per partition) are merged on the driver: no exchange, one Spark job. Equal to the SQL
   * formulation {@link #jackknife(Dataset, JointCounts)} (a test).
   */
  static Jackknife jackknife(JavaRDD<UtteranceRuns.Runs> records, JointCounts total) {
    List<Jackknife> parts = records.mapPartitions(rows -> {
      RunsJackknife j = new RunsJackknife(total);
      while (rows.hasNext()) {
        j.add(rows.next());
      }
      return List.of(j.result()).iterator();
    }).collect();
    Jackknife out = new Jackknife(total);
    parts.forEach(out::merge);
    return out;
  }

  /**
   * The bootstrap replicates as count vectors over {@code cells}, from per-utterance run
   * records: replicate b weighs every utterance by the same seeded Poisson(1) draw as
   * {@link #bootstrap(Dataset, int, long, DenseCells)} (Spark's xxhash64 of (seed, utterance),
   * then of (that, b)), and each partition sums {@code len * w_b} per joint cell for every b
   * at once; the partitions' tables (cells times replicates) are summed on the driver. One
   * Spark job, no exchange.
   */
  static List<long[]> bootstrap(JavaRDD<UtteranceRuns.Runs> records, int replicates, long seed,
      DenseCells cells) {
    // Each partition returns its cells as plain arrays {a, v, t, sum_0 .. sum_(B-1)} (what
    // every serializer carries).
    List<long[]> parts = records.mapPartitions(rows -> {
      Map<List<Integer>, long[]> sums = new HashMap<>();
      long[] w = new long[replicates];
      while (rows.hasNext()) {
        UtteranceRuns.Runs r = rows.next();
        long h = utteranceHash(seed, r.id);
        boolean any = false;
        for (int b = 0; b < replicates; b++) {
          w[b] = poissonDraw(h, b);
          any |= w[b] != 0;
        }
        for (int i = 0; any && i < r.size(); i++) {
          long[] s = sums.computeIfAbsent(List.of(r.a[i], r.v[i], r.t[i]), k -> {
            long[] cell = new long[3 + replicates];
            for (int m = 0; m < 3; m++) {
              cell[m] = k.get(m);
            }
            return cell;
          });
          for (int b = 0; b < replicates; b++) {
            s[3 + b] += w[b] * r.len[i];
          }
        }
      }
      return new ArrayList<>(sums.values()).iterator();
    }).collect();
    Map<Integer, long[]> byCell = new TreeMap<>();
    for (long[] part : parts) {
      long[] into = byCell.computeIfAbsent(cells.indexOf((int) part[0], (int) part[1],
          (int) part[2]), x -> new long[replicates]);
      for (int b = 0; b < replicates; b++) {
        into[b] += part[3 + b];
      }
    }
    List<long[]> out = new ArrayList<>(replicates);
    for (int b = 0; b < replicates; b++) {
      long[] counts = new long[cells.size()];
      for (Map.Entry<Integer, long[]> e : byCell.entrySet()) {
        counts[e.getKey()] = e.getValue()[b];
      }
      out.add(counts);
    }
    return out;
  }

  /** {@code xxhash64(lit(seed), utterance_id)} as Spark computes it. */
  static long utteranceHash(long seed, String utterance) {
    UTF8String s = UTF8String.fromString(utterance);
    return XXH64.hashUnsafeBytes(s.getBaseObject(), s.getBaseOffset(), s.numBytes(),
        XXH64.hashLong(seed, XXHASH_SEED));
  }

  /** {@link #poisson} of replicate {@code b} for an utterance of hash {@code h}. */
  static long poissonDraw(long h, int b) {
    long x = XXH64.hashInt(b, XXH64.hashLong(h, XXHASH_SEED));
    double u = Math.floorMod(x, 1L << 30) / (double) (1L << 30);
    for (int i = 0; i < POISSON_CDF.length; i++) {
      if (u < POISSON_CDF[i]) {
        return i;
      }
    }
    return POISSON_CDF.length;
  }

  /**
   * The bootstrap replicates as count vectors over {@code cells}: replicate b weighs every
   * utterance's table by a Poisson(1) draw seeded by (seed, b, utterance), drawn once per
   * utterance (a column per replicate), and one aggregation by joint cell sums {@code k * w_b}
   * for every b at once: the per-utterance rows are read once whatever the number of
   * replicates.
   */
  static List<long[]> bootstrap(Dataset<Row> perUtterance, int replicates, long seed,
      DenseCells cells) {
    // The weights depend on the utterance only: drawn once per utterance (a row each), not per
    // cell, and joined with its cells (both sides partitioned by utterance already).
    Column[] draws = new Column[replicates + 1];
    draws[0] = col("utterance_id").as("wu");
    Column[] sums = new Column[replicates];
    for (int b = 0; b < replicates; b++) {
      draws[b + 1] = poisson(lit(b)).as("w" + b);
      sums[b] = sum(col("w" + b).multiply(col("k"))).as("b" + b);
    }
    Dataset<Row> weights = perUtterance.select(col("utterance_id")).distinct()
        .withColumn("_h", xxhash64(lit(seed), col("utterance_id"))).select(draws);
    Dataset<Row> hashed = perUtterance.join(weights.hint("shuffle_hash"),
        col("utterance_id").equalTo(col("wu")));
    List<Row> rows = hashed.groupBy(col(StatsJob.UNITS[0]), col(StatsJob.UNITS[1]),
        col(StatsJob.UNITS[2])).agg(sums[0], java.util.Arrays.copyOfRange(sums, 1, replicates))
        .collectAsList();
    int[] at = new int[rows.size()];
    for (int i = 0; i < at.length; i++) {
      at[i] = cells.indexOf(rows.get(i).get(0), rows.get(i).get(1), rows.get(i).get(2));
    }
    List<long[]> out = new ArrayList<>(replicates);
    for (int b = 0; b < replicates; b++) {
      long[] counts = new long[cells.size()];
      for (int i = 0; i < at.length; i++) {
        Row r = rows.get(i);
        counts[at[i]] = r.isNullAt(3 + b) ? 0 : r.getLong(3 + b);
      }
      out.add(counts);
    }
    return out;
  }

  /**
   * A Poisson(1) draw from a hash of (the utterance's seeded hash, column {@code _h}, replicate
   * {@code b}, an int), by inverse CDF.
   */
  static Column poisson(Column b) {
    Column u = pmod(xxhash64(col("_h"), b), lit(1L << 30)).divide((double) (1L << 30));
    double[] cdf = POISSON_CDF;
    Column k = lit((long) cdf.length);
    for (int i = cdf.length - 1; i >= 0; i--) {
      k = when(u.lt(cdf[i]), lit((long) i)).otherwise(k);
    }
    return k;
  }

  /**
   * The delete-one-utterance jackknife, counted in SQL: every per-utterance row first takes,
   * from the whole table (broadcast, one row per joint cell: a few hundred), the whole
   * corpus's count of its cell in each of the seven tables; then per utterance and per cell of
   * each of the seven tables it touches, the change that leaving it out makes to the table's
   * sum of c ln c; per utterance (one aggregation, no further exchange: the rows are
   * partitioned by utterance) the seven leave-one-out plug-in entropies, then every quantity's
   * deviation from the whole corpus's estimate; summed over utterances (sum and sum of
   * squares) into a {@link Jackknife}. Equal to streaming each utterance's table through
   * {@link Jackknife#add} (a test).
   */
  static Jackknife jackknife(Dataset<Row> perUtterance, JointCounts total) {
    org.apache.spark.sql.types.StructType schema = perUtterance.schema();
    org.apache.spark.sql.types.DataType[] types = new org.apache.spark.sql.types.DataType[3];
    for (int i = 0; i < 3; i++) {
      types[i] = schema.apply(StatsJob.UNITS[i]).dataType();
    }
    org.apache.spark.sql.types.StructType wholeSchema = new org.apache.spark.sql.types.StructType()
        .add("w0", types[0]).add("w1", types[1]).add("w2", types[2]);
    for (int g = 0; g < 7; g++) {
      wholeSchema = wholeSchema.add("all" + g, DataTypes.LongType);
    }
    List<Row> wholeRows = new ArrayList<>();
    total.forEach((a, v, t, c) -> {
      Object[] row = new Object[10];
      row[0] = a;
      row[1] = v;
      row[2] = t;
      for (int g = 0; g < 7; g++) {
        row[3 + g] = total.tableCount(g, a, v, t);
      }
      wholeRows.add(org.apache.spark.sql.RowFactory.create(row));
    });
    Dataset<Row> whole = perUtterance.sparkSession().createDataFrame(wholeRows, wholeSchema);
    Column[] tables = new Column[7];
    for (int g = 0; g < 7; g++) {
      Column[] f = new Column[6];
      f[0] = lit(g).as("g");
      for (int i = 0; i < 3; i++) {
        f[i + 1] = (GroupProfiles.KEEPS[g][i] ? col(StatsJob.UNITS[i])
            : lit(null).cast(types[i])).as("u" + i);
      }
      f[4] = col("k").as("k");
      f[5] = col("all" + g).as("all");
      tables[g] = functions.struct(f);
    }
    Dataset<Row> cells = perUtterance.join(functions.broadcast(whole),
            col(StatsJob.UNITS[0]).equalTo(col("w0")).and(col(StatsJob.UNITS[1])
                .equalTo(col("w1"))).and(col(StatsJob.UNITS[2]).equalTo(col("w2"))))
        .select(col("utterance_id"), functions.explode(functions.array(tables)).as("x"))
        .select(col("utterance_id"), col("x.*"))
        .groupBy("utterance_id", "g", "u0", "u1", "u2")
        .agg(sum("k").as("c"), functions.max("all").as("all"));
    Column left = col("all").minus(col("c"));
    Column change = when(left.gt(0), left.multiply(functions.log(left))).otherwise(0.0)
        .minus(col("all").multiply(functions.log(col("all"))));
    Column[] perTable = new Column[8];
    for (int g = 0; g < 7; g++) {
      perTable[g] = sum(when(col("g").equalTo(g), change).otherwise(0.0)).as("d" + g);
    }
    // Every table sums to the utterance's frames; the joint one (6) is counted here.
    perTable[7] = sum(when(col("g").equalTo(6), col("c")).otherwise(0L)).as("n");
    Dataset<Row> utterances = cells.groupBy("utterance_id").agg(perTable[0],
        java.util.Arrays.copyOfRange(perTable, 1, 8));
    double n = total.frames();
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

}
