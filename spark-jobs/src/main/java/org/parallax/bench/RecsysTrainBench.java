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
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public RecsysTrainBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /**
   * @param stepBatches batches of each step measurement (each runs twice, streamed and floor
   *     interleaved; the floor holds them on the device)
   */
  public String run(long[] sizes, int dim, int fanout, int[] batchSizes, int stepBatches) {
    BenchTable table = new BenchTable("examples", "batch", "write s", "pipeline ex/s",
        "driver peak heap MB", "retained heap MB", "streamed steps ex/s", "on-device steps ex/s", "ratio");
    for (long n : sizes) {
      for (int batch : batchSizes) {
        TrainThroughput.Result r = TrainThroughput.measure(spark, examples(n, fanout), n,
            work.resolve("examples-" + n + "-" + batch).toString(), ITEMS, dim, fanout, batch,
            stepBatches, seed);
        table.row(r.examples(), batch, r.writeSeconds(), r.pipelinePerSecond(),
            r.peakHeapBytes() / 1e6, r.retainedBytes() / 1e6, r.streamedPerSecond(), r.floorPerSecond(),
            r.streamedPerSecond() / r.floorPerSecond());
      }
    }
    return String.format("## Recsys training throughput%n%n"
        + "`recsys train`'s epoch loop on N generated examples (%d items, fanout %d, width %d, "
        + "full softmax): the examples written once as Parquet in seeded-hash order; the data "
        + "pipeline alone over all N (stream from the files, batch, NDArrays on the device, no "
        + "step) with the driver's peak heap (heap pools' peaks after a GC, the JVM's own "
        + "and garbage included) and the retained heap (the most in use right after a full GC, "
        + "sampled every 100 batches; GC time excluded from the rate); then training steps "
        + "streamed from the files (the job's loop: read, batch, plain arrays on a background "
        + "thread up to %d batches ahead, NDArrays and step on the stepping thread) over the first %d batches of an epoch against the "
        + "floor, the same trainer stepping over those %d batches already prepared as NDArrays "
        + "on the device, twice each in the order streamed, floor, floor, streamed "
        + "(ratio = streamed / floor).%n%n%s%n",
        ITEMS, fanout, dim, TrainThroughput.PREFETCH_BATCHES, stepBatches, stepBatches,
        table.markdown());
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
      return RowFactory.create(id / 20, 2 + (int) (id % 20), familiar.toArray(new Row[0]),
          items.toArray(new Long[0]));
    }, Encoders.row(schema));
  }
}
