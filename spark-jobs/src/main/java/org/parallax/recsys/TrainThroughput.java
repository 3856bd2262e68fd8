package org.parallax.recsys;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What {@code recsys train} spends per epoch, for the benchmark: examples written once as
 * Parquet ({@link ExampleFiles}), one training epoch streamed from the files (the job's own
 * loop, {@link TrainJob#pass}), and the floor, the same trainer stepping over the first batches
 * of the same stream already prepared as arrays on the device ({@link PreparedBatch}). Reports
 * examples/s of both and the driver's peak heap during the streamed epoch.
 */
public final class TrainThroughput {
  /**
   * One measurement.
   *
   * @param examples examples in the streamed epoch
   * @param writeSeconds writing the examples as Parquet
   * @param streamedPerSecond examples/s of the streamed epoch (read, batch, prepare, step)
   * @param floorPerSecond examples/s of steps over batches already on the device
   * @param floorExamples examples in the floor's batches
   * @param peakHeapBytes the driver's peak heap (sum of the heap pools' peaks) in the epoch
   */
  public record Result(long examples, double writeSeconds, double streamedPerSecond,
      double floorPerSecond, long floorExamples, long peakHeapBytes) {}

  private TrainThroughput() {}

  /**
   * Measures on {@code examples} ({@code user_id, window, familiar, label_items}, as {@link
   * LocalSubgraph#nested} and the labels have them) over a catalogue of {@code items} dense ids
   * 0..items-1.
   *
   * @param floorBatches batches the floor steps over (held on the device at once)
   */
  public static Result measure(SparkSession spark, Dataset<Row> examples, long count,
      String dir, int items, int dim, int fanout, int batchSize, int floorBatches, long seed) {
    long[] ids = new long[items];
    for (int i = 0; i < items; i++) {
      ids[i] = i;
    }
    Catalogue catalogue = new Catalogue(ids, List.of(), new long[0]);
    long start = System.nanoTime();
    ExampleFiles.write(spark, examples, count, dir, catalogue, seed);
    double writeSeconds = (System.nanoTime() - start) / 1e9;
    ExampleFiles files = ExampleFiles.open(spark, dir, count, catalogue, seed);
    TrainOptions o = new TrainOptions(org.parallax.common.CommonOptions.replacing(dir, seed),
        dir, dir, dim, fanout, 1, batchSize, 0.01, 1e-4, "none", 2, 20_000, 4096, 0, 30, 12, 1);
    ContextGnnConfig config = new ContextGnnConfig(items, dim, fanout, 0, 2, 30, 7);
    try (ContextGnnTrainer trainer = new ContextGnnTrainer(config, new long[0], 0.01f, 1e-4f,
        20_000, 4096, seed)) {
      trainer.setItemFeatures(new float[32 * items * ItemFeatures.SIZE], 32);
      // Warm-up: the engine's first steps allocate and compile kernels.
      Iterator<TrainExample> warm = files.stream(0, new long[1]);
      for (int i = 0; i < 3 && warm.hasNext(); i++) {
        Prepared w = batch(warm, batchSize, fanout);
        trainer.step(w.batch, w.positives);
      }
      System.gc();
      resetPeaks();
      long[] seen = new long[1];
      start = System.nanoTime();
      TrainJob.pass(files.stream(1, new long[1]), o, trainer, true, seen);
      double streamed = seen[0] / ((System.nanoTime() - start) / 1e9);
      long peak = peakHeap();

      List<PreparedBatch> ready = new ArrayList<>();
      Iterator<TrainExample> it = files.stream(2, new long[1]);
      long floorExamples = 0;
      for (int i = 0; i < floorBatches && it.hasNext(); i++) {
        Prepared p = batch(it, batchSize, fanout);
        ready.add(trainer.prepare(p.batch, p.positives));
        floorExamples += p.batch.size();
      }
      start = System.nanoTime();
      for (PreparedBatch p : ready) {
        trainer.step(p);
      }
      double floor = floorExamples / ((System.nanoTime() - start) / 1e9);
      ready.forEach(PreparedBatch::close);
      files.delete();
      return new Result(seen[0], writeSeconds, streamed, floor, floorExamples, peak);
    }
  }

  private record Prepared(UserBatch batch, int[][] positives) {}

  private static Prepared batch(Iterator<TrainExample> it, int batchSize, int fanout) {
    UserBatch batch = new UserBatch(batchSize, fanout);
    List<int[]> positives = new ArrayList<>();
    while (it.hasNext() && !batch.isFull()) {
      TrainExample e = it.next();
      e.addTo(batch);
      positives.add(e.positives);
    }
    return new Prepared(batch, positives.toArray(new int[0][]));
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
