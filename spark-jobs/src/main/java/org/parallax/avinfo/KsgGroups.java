package org.parallax.avinfo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Each group's paired samples (rows of {@link #COLUMNS}, a group's rows contiguous) as KSG work:
 * one row per replicate (0: all samples; b: without jackknife block b - 1), each carrying the group
 * packed as binary. Samples are ordered by (utterance, frame), so blocks are stretches of whole
 * utterances whatever the input order, and take the group's seeded {@link Ksg#jitter}.
 */
final class KsgGroups implements MapPartitionsFunction<Row, Row> {
  /** Input columns, in this order. */
  static final String[] COLUMNS = {"group", "utterance_id", "target_frame", "x", "y", "frames"};

  /** One replicate of one group. */
  static final StructType OUT = new StructType().add("group", DataTypes.StringType)
      .add("b", DataTypes.IntegerType).add("blocks", DataTypes.IntegerType)
      .add("frames", DataTypes.LongType).add("x", DataTypes.BinaryType)
      .add("y", DataTypes.BinaryType).add("t", DataTypes.BinaryType);

  private record Sample(String utterance, int frame, double[] x, double[] y) {}

  private static final Comparator<Sample> ORDER = Comparator.comparing(Sample::utterance)
      .thenComparingInt(Sample::frame);

  private final int k;
  private final int blocks;
  private final long seed;

  KsgGroups(int k, int blocks, long seed) {
    this.k = k;
    this.blocks = blocks;
    this.seed = seed;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    List<Row> out = new ArrayList<>();
    List<Sample> samples = new ArrayList<>();
    String group = null;
    long frames = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      if (group != null && !group.equals(r.getString(0))) {
        replicates(group, frames, samples, out);
        samples.clear();
      }
      group = r.getString(0);
      frames = r.getLong(5);
      samples.add(new Sample(r.getString(1), r.getInt(2), toArray(r.getList(3)),
          toArray(r.getList(4))));
    }
    if (group != null) {
      replicates(group, frames, samples, out);
    }
    return out.iterator();
  }

  private void replicates(String group, long frames, List<Sample> samples, List<Row> out) {
    samples.sort(ORDER);
    Sample first = samples.get(0);
    for (Sample p : samples) {
      if (p.x().length != first.x().length || p.y().length != first.y().length) {
        throw new IllegalArgumentException("group " + group + ": utterance " + p.utterance()
            + " frame " + p.frame() + " has vectors of " + p.x().length + " and "
            + p.y().length + " values, utterance " + first.utterance() + " frame "
            + first.frame() + " of " + first.x().length + " and " + first.y().length
            + "; every vector of a modality needs the same length");
      }
    }
    int n = samples.size();
    long s = seed * 1_000_003L + group.hashCode();
    byte[] x = pack(Ksg.jitter(samples.stream().map(Sample::x).toArray(double[][]::new), s));
    byte[] y = pack(Ksg.jitter(samples.stream().map(Sample::y).toArray(double[][]::new), ~s));
    byte[] t = packTimes(samples);
    int m = n <= k + 1 ? 0 : Ksg.blocks(n, k, blocks);
    int last = m < 2 ? 0 : m;
    for (int b = 0; b <= last; b++) {
      out.add(RowFactory.create(group, b, m, frames, x, y, t));
    }
  }

  /**
   * Each sample's time for the Theiler window: the utterance's rank times 2^32 plus the frame, so
   * frames of different utterances are never within a window.
   */
  private static byte[] packTimes(List<Sample> sorted) {
    ByteBuffer buf = ByteBuffer.allocate(8 * sorted.size());
    long rank = 0;
    for (int i = 0; i < sorted.size(); i++) {
      if (i > 0 && !sorted.get(i).utterance().equals(sorted.get(i - 1).utterance())) {
        rank++;
      }
      buf.putLong((rank << 32) + sorted.get(i).frame());
    }
    return buf.array();
  }

  /** The times {@link #packTimes} wrote. */
  static long[] unpackTimes(byte[] bytes) {
    long[] t = new long[bytes.length / 8];
    ByteBuffer.wrap(bytes).asLongBuffer().get(t);
    return t;
  }

  /** {@code n, dims}, then the coordinates sample after sample. */
  static byte[] pack(double[][] v) {
    int dims = v.length == 0 ? 0 : v[0].length;
    ByteBuffer buf = ByteBuffer.allocate(8 + 8 * v.length * dims);
    buf.putInt(v.length).putInt(dims);
    for (double[] p : v) {
      for (double c : p) {
        buf.putDouble(c);
      }
    }
    return buf.array();
  }

  /** The samples {@link #pack} wrote. */
  static double[][] unpack(byte[] bytes) {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    double[][] v = new double[buf.getInt()][buf.getInt()];
    for (double[] p : v) {
      for (int d = 0; d < p.length; d++) {
        p[d] = buf.getDouble();
      }
    }
    return v;
  }

  private static double[] toArray(List<Object> values) {
    double[] a = new double[values.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = ((Number) values.get(i)).doubleValue();
    }
    return a;
  }
}
