package org.parallax.gpu;

import org.apache.spark.sql.RuntimeConfig;
import org.apache.spark.sql.SparkSession;

/**
 * Whether the RAPIDS accelerator plans this session's SQL (on GPUs, or in explain-only mode for
 * {@code gpu-plan}): its plugin or SQL extension is configured and SQL acceleration is not
 * switched off. Jobs with a faster CPU formulation that RAPIDS cannot run (a Java fold over
 * rows) keep their relational one when this holds, so that their stages stay on the GPU.
 */
public final class RapidsSql {
  private RapidsSql() {}

  /** True when RAPIDS will plan the session's queries. */
  public static boolean active(SparkSession spark) {
    RuntimeConfig conf = spark.conf();
    boolean loaded = conf.get("spark.plugins", "").contains("com.nvidia.spark.SQLPlugin")
        || conf.get("spark.sql.extensions", "").contains("com.nvidia.spark.rapids.SQLExecPlugin");
    return loaded && !"false".equalsIgnoreCase(conf.get("spark.rapids.sql.enabled", "true"));
  }
}
