package org.parallax.common;

/**
 * A batch job: typed options in, outputs under {@link JobContext#out()}, facts in
 * {@link JobContext#report()}. The lifecycle around it (staging, commit, report, progress,
 * failure) belongs to {@link JobRunner}, so a job holds only its own logic.
 *
 * @param <O> the job's options record
 */
public interface Job<O extends JobOptions> {
  /** The job's name as the CLI spells it, e.g. {@code datagen recsys}. */
  String name();

  /** The options every job has, taken from the job's own options record. */
  default CommonOptions common(O options) {
    return options.common();
  }

  /**
   * The paths the job reads (nulls for absent optional inputs are allowed), which its output may
   * not overlap ({@link OutputGuard}).
   */
  java.util.List<String> inputs(O options);

  /** Does the work, writing under {@code ctx.out()} and recording into {@code ctx.report()}. */
  void run(JobContext ctx, O options);
}
