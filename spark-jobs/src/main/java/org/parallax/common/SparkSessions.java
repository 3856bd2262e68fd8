package org.parallax.common;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Obtains the SparkSession a job runs in. Under spark-submit the master and the profile come from
 * the submitter; run embedded (submit/run, tests) with no master set, Spark runs in-process on
 * {@code local[*]}. An existing session is reused, so tests share one per JVM.
 */
public final class SparkSessions {
  private SparkSessions() {}

  /** Returns the active session, or creates one named {@code parallax <what>}. */
  public static SparkSession getOrCreate(String what) {
    if (SparkSession.getActiveSession().isDefined()) {
      return SparkSession.getActiveSession().get();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      return SparkSession.getDefaultSession().get();
    }
    SparkConf conf = new SparkConf();
    SparkSession.Builder builder = SparkSession.builder().appName("parallax " + what);
    if (!conf.contains("spark.master")) {
      builder.master("local[*]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "8")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    return builder.getOrCreate();
  }

  /** True when the session runs in-process, where progress lines go to the terminal. */
  public static boolean isLocal(SparkSession spark) {
    return spark.sparkContext().isLocal();
  }
}
