package org.parallax.gpu;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.MutableURLClassLoader;

/**
 * Runs a job under the RAPIDS accelerator in explain-only mode on the CPU and collects, for every
 * query the job plans, which operators would run on the GPU and which would fall back and why.
 * Works without a GPU: only the SQL extension is loaded
 * ({@code spark.sql.extensions=com.nvidia.spark.rapids.SQLExecPlugin},
 * {@code spark.rapids.sql.mode=explainOnly}), not the executor plugin that initialises CUDA. The
 * RAPIDS jar is loaded through a {@link MutableURLClassLoader} set as the thread's context class
 * loader, because its shim loader adds the per-Spark-version classes to a mutable loader. No
 * SparkContext may be running when it starts (the extension is read at start-up); checks may follow
 * each other in one JVM, each stopping its context.
 */
public final class GpuPlanCheck {
  /**
   * One loader per RAPIDS jar for the JVM's life: Spark keeps the cache serializer it loaded
   * first, and a later check in the same JVM must see that class, not a copy from a new loader.
   */
  private static final Map<String, MutableURLClassLoader> LOADERS = new ConcurrentHashMap<>();

  private GpuPlanCheck() {}

  private static ClassLoader loader(File rapidsJar, ClassLoader parent) {
    return LOADERS.computeIfAbsent(rapidsJar.getAbsolutePath(), path -> {
      try {
        return new MutableURLClassLoader(new URL[] {rapidsJar.toURI().toURL()}, parent);
      } catch (MalformedURLException e) {
        throw new IllegalArgumentException("bad RAPIDS jar path " + rapidsJar, e);
      }
    });
  }

  /** Runs {@code job} (which returns its exit status) and returns the plan report. */
  public static GpuPlanReport run(File rapidsJar, String command, Supplier<Integer> job,
      int[] status) {
    if (SparkSession.getDefaultSession().isDefined()) {
      throw new IllegalStateException("gpu-plan must start its own SparkContext (the RAPIDS SQL "
          + "extension is read at start-up), but one is already running in this JVM");
    }
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    Thread.currentThread().setContextClassLoader(loader(rapidsJar, previous));
    SparkSession.Builder builder = SparkSession.builder().appName("parallax gpu-plan " + command)
        .config("spark.sql.extensions", "com.nvidia.spark.rapids.SQLExecPlugin")
        .config("spark.rapids.sql.mode", "explainOnly")
        .config("spark.rapids.sql.explain", "ALL")
        // What conf/gpu.conf sets for cached data, so cached stages plan as they would on GPUs.
        .config("spark.rapids.sql.exec.InMemoryTableScanExec", "true")
        .config("spark.sql.cache.serializer", "com.nvidia.spark.ParquetCachedBatchSerializer")
        // One plan per query: adaptive re-planning in explain-only mode reports shuffle readers
        // as falling back only because their (unconverted) child exchange is not columnar.
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false");
    if (!new org.apache.spark.SparkConf().contains("spark.master")) {
      builder.master("local[*]").config("spark.sql.shuffle.partitions", "8")
          .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession spark = builder.getOrCreate();
    GpuPlanReport report = new GpuPlanReport(command, rapidsJar.getPath());
    try (ExplainCapture capture = new ExplainCapture()) {
      status[0] = job.get();
      capture.explanations().forEach(report::add);
    } finally {
      spark.stop();
      Thread.currentThread().setContextClassLoader(previous);
    }
    return report;
  }
}
