package org.parallax.tests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.parallax.cli.ParallaxCli;
import org.parallax.common.JobReport;

/**
 * Shares one local SparkSession per test JVM (jobs find it through getOrCreate) and runs the CLI
 * in-process, capturing what it prints.
 */
abstract class SparkTestBase {
  protected static SparkSession spark;

  @TempDir protected Path tmp;

  @BeforeAll
  static void startSpark() {
    if (spark == null) {
      spark = SparkSession.builder().master("local[2]").appName("parallax-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "4")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.session.timeZone", "UTC")
          .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
          .getOrCreate();
    }
  }

  /** The exit status, standard output and standard error of one CLI run. */
  protected record Run(int status, String out, String err) {}

  /** Runs the CLI with {@code args}, in this JVM. */
  protected static Run cli(String... args) {
    return cli(false, args);
  }

  /**
   * Runs the CLI with {@code args}, in this JVM; with {@code showProgress}, what it prints on
   * standard error is also shown as it comes (for tests that run for minutes).
   */
  protected static Run cli(boolean showProgress, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    java.io.OutputStream errSink = !showProgress ? err : new java.io.OutputStream() {
      @Override
      public void write(int b) {
        err.write(b);
        oldErr.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        err.write(b, off, len);
        oldErr.write(b, off, len);
      }
    };
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(errSink, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int status = ParallaxCli.execute(args);
      return new Run(status, out.toString(StandardCharsets.UTF_8),
          err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  protected static com.fasterxml.jackson.databind.JsonNode report(Path dir) {
    return json(dir.resolve("_report.json"));
  }

  protected static com.fasterxml.jackson.databind.JsonNode json(Path file) {
    try {
      return JobReport.parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data shipped in the repository's {@code data/} folder (each set with its attribution). */
  protected static Path bundledData() {
    return Path.of(System.getProperty("parallax.root", "..")).resolve("data");
  }

  /**
   * MovieLens latest-small ({@code ratings.csv}), which may not be redistributed: the test that
   * calls this runs only where {@code $PARALLAX_MOVIELENS} names a copy, and is reported as not
   * run otherwise, with the reason.
   */
  protected static Path movieLensRatings() {
    String env = System.getenv("PARALLAX_MOVIELENS");
    org.junit.jupiter.api.Assumptions.assumeTrue(env != null && !env.isBlank(),
        "not run: MovieLens may not be redistributed; set PARALLAX_MOVIELENS to a movielens-small "
            + "folder (GroupLens ml-latest-small) to run it");
    Path p = Path.of(env);
    Path ratings = Files.isDirectory(p) ? p.resolve("ratings.csv") : p;
    if (!Files.isRegularFile(ratings)) {
      throw new IllegalStateException("PARALLAX_MOVIELENS=" + env + ": no ratings.csv there");
    }
    return ratings;
  }
}
