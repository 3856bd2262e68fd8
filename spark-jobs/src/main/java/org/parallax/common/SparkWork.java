package org.parallax.common;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;

/**
 * Counts the Spark jobs started and the stages run (skipped stages, whose shuffle output was
 * reused, never run and are not counted) while it is registered: how much scheduling a
 * job costs, beside its wall time ({@link JobRunner} puts both in every {@link JobReport};
 * benchmarks read them too). Register with {@link #start}, read after {@link #close}.
 */
public final class SparkWork extends SparkListener implements AutoCloseable {
  private final SparkContext sc;
  private final AtomicInteger jobs = new AtomicInteger();
  private final AtomicInteger stages = new AtomicInteger();

  private SparkWork(SparkContext sc) {
    this.sc = sc;
  }

  public static SparkWork start(SparkContext sc) {
    SparkWork w = new SparkWork(sc);
    sc.addSparkListener(w);
    return w;
  }

  @Override
  public void onJobStart(SparkListenerJobStart event) {
    jobs.incrementAndGet();
  }

  @Override
  public void onStageCompleted(SparkListenerStageCompleted event) {
    stages.incrementAndGet();
  }

  public int jobs() {
    return jobs.get();
  }

  public int stages() {
    return stages.get();
  }

  @Override
  public void close() {
    // Events are delivered asynchronously: let the bus drain before the counts are read.
    try {
      sc.listenerBus().waitUntilEmpty(10_000);
    } catch (Exception e) {
      throw new IllegalStateException("Spark's listener bus did not drain in 10 s", e);
    }
    sc.removeSparkListener(this);
  }
}
