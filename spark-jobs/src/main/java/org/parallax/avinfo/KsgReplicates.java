package org.parallax.avinfo;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.PerRow;

/**
 * One {@link Ksg#estimate} per replicate row of {@link KsgGroups}; null for a group of at most k +
 * 1 samples or with a sample with fewer than k outside its window.
 */
final class KsgReplicates implements PerRow.RowFunction {
  static final StructType OUT = new StructType().add("group", DataTypes.StringType)
      .add("b", DataTypes.IntegerType).add("samples", DataTypes.IntegerType)
      .add("frames", DataTypes.LongType).add("mi_nats", DataTypes.DoubleType);

  private final int k;
  private final int algorithm;
  private final int theiler;

  KsgReplicates(int k, int algorithm, int theiler) {
    this.k = k;
    this.algorithm = algorithm;
    this.theiler = theiler;
  }

  @Override
  public Row apply(Row r) {
    int b = r.getInt(1);
    int m = r.getInt(2);
    double[][] x = KsgGroups.unpack((byte[]) r.get(4));
    double[][] y = KsgGroups.unpack((byte[]) r.get(5));
    long[] t = KsgGroups.unpackTimes((byte[]) r.get(6));
    if (b > 0) {
      x = Ksg.withoutBlock(x, b - 1, m);
      y = Ksg.withoutBlock(y, b - 1, m);
      t = Ksg.withoutBlock(t, b - 1, m);
    }
    Double mi = x.length <= k + 1 || !Ksg.enoughOutsideWindow(t, k, theiler) ? null
        : Ksg.estimate(x, y, k, algorithm, t, theiler);
    return RowFactory.create(r.getString(0), b, x.length, r.getLong(3), mi);
  }
}
