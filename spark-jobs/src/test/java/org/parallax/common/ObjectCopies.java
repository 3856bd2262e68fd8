package org.parallax.common;

import java.util.function.BiConsumer;

/**
 * A hook into {@link S3SimFileSystem}'s renames: runs before each object copy (source key,
 * destination key) in this JVM, so a test can look at the store, or stop the process, between
 * two copies.
 */
public final class ObjectCopies {
  private static volatile BiConsumer<String, String> hook = (from, to) -> { };

  private ObjectCopies() {}

  /** Runs {@code h} before each object copy of a rename in this JVM. */
  public static void set(BiConsumer<String, String> h) {
    hook = h;
  }

  static void beforeCopy(String from, String to) {
    hook.accept(from, to);
  }
}
