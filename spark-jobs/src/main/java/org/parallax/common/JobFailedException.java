package org.parallax.common;

/**
 * A job could not do its work for a reason the user can act on: unusable input, an output that
 * already exists, too many malformed rows. The message is one line that names the file, the column
 * and the expectation; the CLI prints it and exits with status 1.
 */
public class JobFailedException extends RuntimeException {
  public JobFailedException(String message) {
    super(message);
  }

  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
