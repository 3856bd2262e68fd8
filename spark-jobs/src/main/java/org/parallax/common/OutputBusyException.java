package org.parallax.common;

/**
 * Another run holds the lease of the output this run was to write, and it did not become free
 * within {@code --wait-for-output}. The message names the holder (host, process, since when) and
 * the option that waits; the CLI prints it and exits with status 2, before any work was done.
 */
public final class OutputBusyException extends RuntimeException {
  public OutputBusyException(String message) {
    super(message);
  }
}
