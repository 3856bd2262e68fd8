package org.parallax.common;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * How a failure is told to a person: one line with the root cause (the exception that started
 * it, not Spark's wrappers around it) and the full trace in a log file that the line names.
 */
public final class Failures {
  private Failures() {}

  /** The innermost cause: the exception a person can act on. */
  public static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  /**
   * The root cause on one line: its message (a {@link JobFailedException}'s as it is, others
   * with their exception's simple name), the first message up the chain when it has none.
   */
  public static String describe(Throwable e) {
    Throwable root = rootCause(e);
    if (root instanceof JobFailedException) {
      return firstLine(root.getMessage());
    }
    String message = root.getMessage();
    Throwable t = e;
    while (message == null && t != null) {
      message = t.getMessage();
      t = t.getCause() == t ? null : t.getCause();
    }
    String name = root.getClass().getSimpleName();
    return message == null ? name : firstLine(message) + " (" + name + ")";
  }

  /** {@code text} up to its first line break. */
  public static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  /** The full stack trace, with causes. */
  public static String trace(Throwable e) {
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  /**
   * Writes the trace to a new file under {@code parallax.log.dir} (default: the temporary
   * directory) and returns it, or null when it cannot be written.
   */
  public static Path writeTraceLocally(String what, Throwable e) {
    try {
      Path dir = Path.of(System.getProperty("parallax.log.dir",
          System.getProperty("java.io.tmpdir")), "parallax-logs");
      Files.createDirectories(dir);
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path file = dir.resolve(what.replaceAll("[^A-Za-z0-9]+", "-") + "-" + stamp + "-"
          + ProcessHandle.current().pid() + ".log");
      Files.writeString(file, trace(e), StandardCharsets.UTF_8);
      return file;
    } catch (IOException | RuntimeException cannot) {
      return null;
    }
  }
}
