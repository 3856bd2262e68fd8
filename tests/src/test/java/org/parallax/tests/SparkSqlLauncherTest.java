package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@code submit/spark-sql} from a built checkout with no Spark installation: parallax's SQL
 * functions are on ({@code spark.sql.extensions}), rows print tab-separated as spark-sql prints
 * them, {@code -f} runs a file's statements in order, usage errors exit 2 before Spark starts.
 */
class SparkSqlLauncherTest extends SparkTestBase {
  static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."))
      .toAbsolutePath().normalize();

  @Test
  void emOfTheIssuePrintsOneAndAFileSearchesTheIndexAsRetrievalSearch() throws Exception {
    Script em = sparkSql(List.of("-e",
        "SELECT parallax_em('The Eiffel Tower', array('eiffel tower'))"));
    assertEquals(0, em.status(), em.err());
    assertEquals("1.0\n", em.out(), em.err());

    Path file = tmp.resolve("queries.sql");
    Files.writeString(file, searchSql(TinyIndex.index(), TinyIndex.qa()));
    Script s = sparkSql(List.of("-f", file.toString()));
    assertEquals(0, s.status(), s.err());
    assertEquals(expectedLines(), s.out());
  }

  @Test
  void usageErrorsExitTwo() throws Exception {
    for (List<String> args : List.of(List.<String>of(), List.of("-e"), List.of("--nope", "x"),
        List.of("-f", "/no/such/file.sql"))) {
      Script s = sparkSql(args);
      assertEquals(2, s.status(), args + ": " + s.err());
      assertTrue(s.err().startsWith("spark-sql: "), s.err());
    }
  }

  /** Two statements: the issue's EM, then the top 3 bm25 passages of every question. */
  static String searchSql(Path index, Path qa) {
    return "-- parallax's functions in Spark SQL\n"
        + "SELECT parallax_f1('the eiffel tower', array('Eiffel Tower; Paris'));\n"
        + "SELECT q.id, pos + 1, hit.id, hit.score FROM json.`" + qa + "` q\n"
        + "  LATERAL VIEW posexplode(parallax_search('" + index + "', q.question, 3)) AS pos, hit\n"
        + "  ORDER BY q.id, pos;\n";
  }

  /** What {@link #searchSql} prints: the F1, then retrieval search's top 3 per question. */
  static String expectedLines() throws Exception {
    // Precision 2/2, recall 2/3.
    StringBuilder sb = new StringBuilder("0.8\n");
    for (Row r : TinyIndex.search("bm25")) {
      if (r.getInt(1) <= 3) {
        sb.append(r.getString(0)).append('\t').append(r.getInt(1)).append('\t')
            .append(r.getString(2)).append('\t').append(r.getFloat(3)).append('\n');
      }
    }
    return sb.toString();
  }

  record Script(int status, String out, String err) {}

  static Script sparkSql(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("submit/spark-sql")
        .toString()));
    cmd.addAll(args);
    Path out = Files.createTempFile("spark-sql", ".out");
    Path err = Files.createTempFile("spark-sql", ".err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().remove("SPARK_SUBMIT");
    pb.environment().put("PARALLAX_DRIVER_MEMORY", "1g");
    Process p = pb.start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "spark-sql did not finish");
    return new Script(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
