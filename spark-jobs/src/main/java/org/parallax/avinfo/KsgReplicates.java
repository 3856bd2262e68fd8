package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The executor side of {@code avinfo ksg}: one KSG estimate ({@link Ksg}) per (group, replicate)
 * from a partition sorted by {@code group, b, utterance_id, target_frame}. Replicate 0 uses all
 * the group's samples, replicate {@code b >= 1} leaves out jackknife block {@code b - 1} (blocks
 * contiguous in utterance and frame order, so deterministic and made of whole stretches of
 * utterances); a replicate beyond the group's {@link Ksg#blocks} yields no row. Every replicate
 * of a group adds the same seeded {@link Ksg#jitter} before leaving its block out. Holds one
 * group's samples at a time (at most {@code --max-samples}).
 */
final class KsgReplicates implements MapPartitionsFunction<Row, Row> {
  /** Input columns, in this order. */
  static final String[] COLUMNS = {"group", "b", "utterance_id", "target_frame", "x", "y",
      "frames"};

  static final StructType OUT = new StructType().add("group", DataTypes.StringType)
      .add("b", DataTypes.LongType).add("samples", DataTypes.IntegerType)
      .add("frames", DataTypes.LongType).add("mi_nats", DataTypes.DoubleType);

  private final int k;
  private final int blocks;
  private final long seed;

  KsgReplicates(int k, int blocks, long seed) {
    this.k = k;
    this.blocks = blocks;
    this.seed = seed;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    List<Row> out = new ArrayList<>();
    List<double[]> xs = new ArrayList<>();
    List<double[]> ys = new ArrayList<>();
    String group = null;
    long b = -1;
    long frames = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      if (group != null && (!group.equals(r.getString(0)) || b != r.getLong(1))) {
        estimate(group, b, frames, xs, ys, out);
        xs.clear();
        ys.clear();
      }
      group = r.getString(0);
      b = r.getLong(1);
      frames = r.getLong(6);
      xs.add(toArray(r.getList(4)));
      ys.add(toArray(r.getList(5)));
    }
    if (group != null) {
      estimate(group, b, frames, xs, ys, out);
    }
    return out.iterator();
  }

  /** Adds the row of replicate {@code b} of {@code group} ({@code frames} before sampling). */
  private void estimate(String group, long b, long frames, List<double[]> xs, List<double[]> ys,
      List<Row> out) {
    int n = xs.size();
    if (n <= k + 1) {
      if (b == 0) {
        out.add(RowFactory.create(group, b, n, frames, null));
      }
      return;
    }
    int m = Ksg.blocks(n, k, blocks);
    if (b > 0 && (b > m || m < 2)) {
      return;
    }
    long s = seed * 1_000_003L + group.hashCode();
    double[][] x = Ksg.jitter(xs.toArray(double[][]::new), s);
    double[][] y = Ksg.jitter(ys.toArray(double[][]::new), ~s);
    if (b > 0) {
      x = Ksg.withoutBlock(x, (int) b - 1, m);
      y = Ksg.withoutBlock(y, (int) b - 1, m);
    }
    out.add(RowFactory.create(group, b, x.length, frames, Ksg.estimate(x, y, k)));
  }

  private static double[] toArray(List<Object> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) values.get(i)).doubleValue();
    }
    return a;
  }
}
