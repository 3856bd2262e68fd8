package org.parallax.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.HiveResult;
import org.parallax.common.SparkSessions;
import scala.collection.JavaConverters;

/**
 * The driver of {@code submit/spark-sql}, for machines without Spark's own SQL CLI (its Hive
 * thrift-server module is not in the build): runs the statements of {@code -e QUERY} or
 * {@code -f FILE} in order and prints each result's rows to standard output tab-separated, in
 * the form spark-sql prints them ({@link HiveResult}). The session has parallax's SQL functions
 * (through {@code spark.sql.extensions}, set by the launcher, else registered here). A usage
 * error exits 2 before Spark starts; a failing statement prints one line, {@code Error in query:
 * ...}, and exits 1.
 */
public final class SqlShell {
  private SqlShell() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the shell with {@code args}; the exit status. */
  public static int run(String[] args) {
    String sql;
    try {
      sql = sql(args);
    } catch (IllegalArgumentException e) {
      System.err.println("spark-sql: " + e.getMessage());
      return 2;
    }
    SparkSession spark = SparkSessions.getOrCreate("sql");
    if (!spark.conf().get("spark.sql.extensions", "").contains(ParallaxExtensions.class
        .getName())) {
      ParallaxFunctions.register(spark);
    }
    for (String statement : SqlStatements.split(sql)) {
      try {
        Dataset<Row> result = spark.sql(statement);
        for (String line : JavaConverters.seqAsJavaList(HiveResult.hiveResultString(
            result.queryExecution().executedPlan()))) {
          System.out.println(line);
        }
      } catch (RuntimeException e) {
        System.err.println("Error in query: " + oneLine(e));
        return 1;
      }
    }
    System.out.flush();
    return 0;
  }

  /** The SQL text of {@code -e QUERY} or {@code -f FILE}. */
  static String sql(String[] args) {
    List<String> a = List.of(args);
    if (a.size() != 2 || !a.get(0).equals("-e") && !a.get(0).equals("-f")) {
      throw new IllegalArgumentException("expected -e QUERY or -f FILE, got " + String.join(" ",
          a));
    }
    if (a.get(0).equals("-e")) {
      return a.get(1);
    }
    try {
      return Files.readString(Path.of(a.get(1)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("-f " + a.get(1) + ": cannot read the file ("
          + e.getMessage() + ")");
    }
  }

  /** The first line of the innermost message that names a parallax function, else e's own. */
  static String oneLine(Throwable e) {
    String m = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && (m == null || t.getMessage().startsWith("parallax_"))) {
        m = t.getMessage();
      }
    }
    m = m == null ? e.toString() : m;
    return m.lines().findFirst().orElse(m);
  }
}
