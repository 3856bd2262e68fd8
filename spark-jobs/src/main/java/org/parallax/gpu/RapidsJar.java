package org.parallax.gpu;

import java.io.File;

/**
 * Finds the RAPIDS accelerator jar: an explicit path, else {@code $PARALLAX_RAPIDS_JAR}, else the
 * system property {@code parallax.rapids.jar}, else the Maven local repository, where
 * {@code submit/fetch-rapids} (or the test build) puts it.
 */
public final class RapidsJar {
  public static final String VERSION = "25.04.0";
  public static final String FILE = "rapids-4-spark_2.12-" + VERSION + ".jar";

  private RapidsJar() {}

  public static File locate(String explicit) {
    String[] candidates = {
      explicit,
      System.getenv("PARALLAX_RAPIDS_JAR"),
      System.getProperty("parallax.rapids.jar"),
      System.getProperty("user.home") + "/.m2/repository/com/nvidia/rapids-4-spark_2.12/"
          + VERSION + "/" + FILE
    };
    for (String c : candidates) {
      if (c != null && !c.isBlank() && new File(c).isFile()) {
        return new File(c);
      }
    }
    throw new IllegalStateException("the RAPIDS jar (" + FILE + ") was not found; fetch it into "
        + "the Maven local repository with submit/fetch-rapids, or pass --rapids-jar PATH");
  }
}
