package org.parallax.recsys;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.parallax.common.JobFailedException;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;

/**
 * The settings a {@code recsys features} output was computed with (its fanout and half-life, from
 * its {@code _report.json}), so that {@code recsys train} refuses options that disagree with its
 * input instead of silently training on features it misreads. The model records what it was
 * trained on (its config), and score and eval rebuild local subgraphs from the model's config.
 *
 * @param fanout the most recent items kept per (user, cutoff)
 * @param halfLifeDays the half-life of the decayed pair weight
 * @param windowDays the popularity window of its item statistics (0 when not recorded)
 */
record FeatureSettings(int fanout, double halfLifeDays, int windowDays) {

  /** The settings of the features output at {@code dir}. */
  static FeatureSettings read(String dir, Configuration conf) {
    Path report = new Path(dir, JobRunner.REPORT);
    try {
      FileSystem fs = report.getFileSystem(conf);
      if (!fs.exists(report)) {
        throw new JobFailedException("features input " + dir + " has no " + JobRunner.REPORT
            + ": is it the output of recsys features?");
      }
      try (InputStream in = fs.open(report)) {
        JsonNode config = JobReport.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .path("config");
        return new FeatureSettings(config.path("fanout").asInt(0),
            config.path("halfLifeDays").asDouble(0), config.path("windowDays").asInt(0));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + report, e);
    }
  }

  /** Refuses a training {@code fanout} or {@code halfLifeDays} these features cannot serve. */
  void check(String dir, int fanout, double halfLifeDays) {
    if (this.fanout > 0 && fanout > this.fanout) {
      throw new JobFailedException(String.format("--fanout %d exceeds the fanout %d the "
          + "features in %s were computed with; use --fanout %d or recompute the features",
          fanout, this.fanout, dir, this.fanout));
    }
    if (this.halfLifeDays > 0 && Math.abs(halfLifeDays - this.halfLifeDays) > 1e-9) {
      throw new JobFailedException(String.format("--half-life-days %s disagrees with the "
          + "half-life %s the features in %s were computed with; use --half-life-days %s",
          halfLifeDays, this.halfLifeDays, dir, this.halfLifeDays));
    }
  }
}
