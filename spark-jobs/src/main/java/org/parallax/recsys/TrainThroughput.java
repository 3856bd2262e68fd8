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
 * Parquet ({@link ExampleFiles}); the data pipeline alone over all of them (stream from the
 * files, batch, prepare arrays on the device, no step) with the driver's peak heap; training
 * steps streamed from the files (the job's own loop, {@link TrainJob#pass}: the next batches
 * built as plain arrays on a background thread while one steps, their NDArrays made on the
 * stepping thread) over the first {@code stepBatches} batches of
 * an epoch; and the floor, the same trainer stepping over the same batches already prepared as
 * arrays on the device ({@link PreparedBatch}). Each step measurement runs twice, in the order
 * streamed, floor, floor, streamed.
 */
public final class TrainThroughput {
  /**
   * One measurement.
   *
   * @param examples examples streamed by the pipeline pass
   * @param writeSeconds writing the examples as Parquet
   * @param pipelinePerSecond examples/s of the data pipeline alone (read, batch, arrays)
   * @param peakHeapBytes the driver's peak heap (sum of the heap pools' peaks) in that pass
   * @param retainedBytes the most heap in use right after a full collection, sampled every
   *     {@value #GC_EVERY} batches of that pass: what the driver holds, garbage excluded
   * @param streamedPerSecond examples/s of training steps streamed from the files (both runs)
   * @param floorPerSecond examples/s of the same steps over batches already on the device
   * @param stepExamples examples of one run of each step measurement
   */
  public record Result(long examples, double writeSeconds, double pipelinePerSecond,
      long peakHeapBytes, long retainedBytes, double streamedPerSecond, double floorPerSecond,
      long stepExamples) {}

  private static final int GC_EVERY = 100;
  /** Batches the job's pass prepares ahead of its steps ({@link TrainJob#PREFETCH_BATCHES}). */
  public static final int PREFETCH_BATCHES = TrainJob.PREFETCH_BATCHES;

  private TrainThroughput() {}

  /**
   * Measures on {@code examples} ({@code user_id, window, familiar, label_items}, as {@link
   * LocalSubgraph#nested} and the labels have them) over a catalogue of {@code items} dense ids
   * 0..items-1.
   *
   * @param stepBatches batches of the two step measurements (the floor holds them on the device)
   */
  public static Result measure(SparkSession spark, Dataset<Row> examples, long count,
      String dir, int items, int dim, int fanout, int batchSize, int stepBatches, long seed) {
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
      ExampleBatches warmBatches = new ExampleBatches(warm, batchSize, fanout);
      for (int i = 0; i < 3 && warmBatches.hasNext(); i++) {
        ExampleBatches.Batch w = warmBatches.next();
        trainer.step(w.users(), w.positives());
      }
      System.gc();
      resetPeaks();
      long piped = 0;
      long retained = 0;
      double gcSeconds = 0;
      start = System.nanoTime();
      ExampleBatches all = new ExampleBatches(files.stream(1, new long[1]), batchSize, fanout);
      for (int b = 1; all.hasNext(); b++) {
        ExampleBatches.Batch p = all.next();
        trainer.prepare(p.users(), p.positives()).close();
        piped += p.users().size();
        if (b % GC_EVERY == 0) {
          long gc = System.nanoTime();
          System.gc();
          java.lang.management.MemoryUsage heap =
              ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
          retained = Math.max(retained, heap.getUsed());
          gcSeconds += (System.nanoTime() - gc) / 1e9;
        }
      }
      double pipeline = piped / ((System.nanoTime() - start) / 1e9 - gcSeconds);
      long peak = peakHeap(false);
      long peakOld = retained;

      // The same first stepBatches batches of one epoch, streamed (the job's loop) and from
      // the device, in the order streamed, floor, floor, streamed: a drift of the machine's
      // speed over the measurement weighs on both alike.
      List<PreparedBatch> ready = new ArrayList<>();
      ExampleBatches it = new ExampleBatches(files.stream(2, new long[1]), batchSize, fanout);
      long floorExamples = 0;
      for (int i = 0; i < stepBatches && it.hasNext(); i++) {
        ExampleBatches.Batch p = it.next();
        ready.add(trainer.prepare(p.users(), p.positives()));
        floorExamples += p.users().size();
      }
      long[] seen = new long[1];
      double streamedSeconds = streamed(files, o, trainer, stepBatches, seen);
      double floorSeconds = floor(trainer, ready) + floor(trainer, ready);
      streamedSeconds += streamed(files, o, trainer, stepBatches, seen);
      ready.forEach(PreparedBatch::close);
      files.delete();
      return new Result(piped, writeSeconds, pipeline, peak, peakOld,
          seen[0] / streamedSeconds, 2 * floorExamples / floorSeconds, seen[0] / 2);
    }
  }

  /** Seconds of the job's pass over the first {@code batches} batches of an epoch. */
  private static double streamed(ExampleFiles files, TrainOptions o, ContextGnnTrainer trainer,
      int batches, long[] seen) {
    Iterator<TrainExample> head = limit(files.stream(2, new long[1]),
        (long) batches * o.batchSize());
    long start = System.nanoTime();
    TrainJob.pass(head, o, trainer, true, seen);
    return (System.nanoTime() - start) / 1e9;
  }

  /** Seconds of steps over batches already on the device. */
  private static double floor(ContextGnnTrainer trainer, List<PreparedBatch> ready) {
    long start = System.nanoTime();
    for (PreparedBatch p : ready) {
      trainer.step(p);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The first {@code n} elements of {@code it}. */
  private static <T> Iterator<T> limit(Iterator<T> it, long n) {
    return new Iterator<>() {
      private long left = n;

      @Override
      public boolean hasNext() {
        return left > 0 && it.hasNext();
      }

      @Override
      public T next() {
        left--;
        return it.next();
      }
    };
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long peakHeap(boolean oldOnly) {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      boolean old = pool.getName().contains("Old") || pool.getName().contains("Tenured");
      if (pool.getType() == MemoryType.HEAP && (old || !oldOnly)) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
