package org.parallax.common;

/** A job's options record: the options every job has, then the job's own. */
public interface JobOptions {
  /** The options every job has ({@code --out}, {@code --overwrite}, {@code --seed}, ...). */
  CommonOptions common();
}
