package org.parallax.common;

import org.apache.spark.sql.SparkSession;

/**
 * What a running job works with: the session, its staged output, its report and the common
 * options. Created by {@link JobRunner} for one run.
 */
public record JobContext(SparkSession spark, StagedOutput out, JobReport report,
    CommonOptions options) {

  /** A reader that quarantines this job's malformed input rows under its output. */
  public TableReader reader() {
    return new TableReader(this);
  }
}
