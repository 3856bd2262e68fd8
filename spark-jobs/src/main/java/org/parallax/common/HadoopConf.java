package org.parallax.common;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.SparkHadoopUtil;

/**
 * The Hadoop configuration Spark would build from this JVM's Spark settings ({@code spark.hadoop.*}
 * from the conf file or {@code --conf}, the object store credentials of the environment), for the
 * file system work a job does before its Spark session exists: checking its output, opening an
 * index. A bare {@code new Configuration()} ignores those settings, and the first file system it
 * opens for a scheme is the one Hadoop's cache hands every later caller, the session included.
 */
public final class HadoopConf {
  private HadoopConf() {}

  /** A new configuration from the current Spark settings. */
  public static Configuration fromSparkSettings() {
    return SparkHadoopUtil.get().newConfiguration(new SparkConf());
  }
}
