package org.parallax.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.recsys.TrainThroughput;

/**
 * The training benchmark ({@code --areas recsys-train}): {@code recsys train}'s epoch loop
 * ({@link TrainThroughput}) on N seeded examples (a catalogue of {@value #ITEMS} items, 1 to
 * fanout familiar items and 1 to 3 labels each, cutoffs spread over 20 windows): examples/s of an
 * epoch streamed from the Parquet files against the same trainer stepping over batches already
 * on the device, and the driver's peak heap, as N grows.
 */
public final class RecsysTrainBench {
  static final int ITEMS = 1_000;
  private static final int FLOOR_BATCHES = 40;
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public RecsysTrainBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  public String run(long[] sizes, int dim, int fanout, int[] batchSizes) {
    BenchTable table = new BenchTable("examples", "batch", "write s", "streamed epoch ex/s",
        "on-device batches ex/s", "ratio", "driver peak heap MB");
    List<String> notes = new ArrayList<>();
    for (long n : sizes) {
      for (int batch : batchSizes) {
        TrainThroughput.Result r = TrainThroughput.measure(spark, examples(n, fanout), n,
            work.resolve("examples-" + n + "-" + batch).toString(), ITEMS, dim, fanout, batch,
            FLOOR_BATCHES, seed);
        table.row(r.examples(), batch, r.writeSeconds(), r.streamedPerSecond(),
            r.floorPerSecond(), r.streamedPerSecond() / r.floorPerSecond(),
            r.peakHeapBytes() / 1e6);
        notes.add(n + "x" + batch + ": floor over " + r.floorExamples() + " examples");
      }
    }
    return String.format("## Recsys training throughput%n%n"
        + "`recsys train`'s epoch loop on N generated examples (%d items, fanout %d, width %d, "
        + "full softmax): the examples written once as Parquet in seeded-hash order, then one "
        + "epoch streamed from the files (read, batch, arrays, step: the job's loop) against the "
        + "floor, the same trainer stepping over the first %d batches of the same stream already "
        + "prepared as NDArrays on the device. Peak heap: the driver's heap pools' peaks during "
        + "the streamed epoch (after a GC), the JVM's own plus the stream's.%n%n%s%n",
        ITEMS, fanout, dim, FLOOR_BATCHES, table.markdown());
  }

  private Dataset<Row> examples(long n, int fanout) {
    StructType pair = new StructType().add("recency_rank", DataTypes.IntegerType)
        .add("item_id", DataTypes.LongType).add("count", DataTypes.LongType)
        .add("recency_days", DataTypes.DoubleType).add("decayed", DataTypes.DoubleType);
    StructType schema = new StructType().add("user_id", DataTypes.LongType)
        .add("window", DataTypes.IntegerType)
        .add("familiar", new ArrayType(pair, false))
        .add("label_items", new ArrayType(DataTypes.LongType, false));
    long s = seed;
    int parts = (int) Math.max(2, Math.min(64, n / 50_000));
    return spark.range(0, n, 1, parts).map((MapFunction<Long, Row>) id -> {
      SplittableRandom r = new SplittableRandom(s * 1_000_003L + id);
      int f = 1 + r.nextInt(fanout);
      List<Row> familiar = new ArrayList<>(f);
      double days = 0;
      for (int j = 0; j < f; j++) {
        days += r.nextDouble() * 5;
        familiar.add(RowFactory.create(j + 1, (long) r.nextInt(ITEMS), 1L + r.nextInt(4), days,
            Math.pow(0.5, days / 30)));
      }
      int labels = 1 + r.nextInt(3);
      List<Long> items = new ArrayList<>(labels);
      for (int j = 0; j < labels; j++) {
        items.add(r.nextDouble() < 0.3 ? familiar.get(0).getLong(1) : (long) r.nextInt(ITEMS));
      }
      return RowFactory.create(id / 20, 2 + (int) (id % 20), familiar, items);
    }, Encoders.row(schema));
  }
}
