package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@code retrieval serve} against a Search-R1 client written from Search-R1's contract
 * ({@code tests/src/test/python/searchr1_conformance.py}, Python standard library only): this
 * test builds a small bm25+e5 index of passages chosen to stress the contract (Unicode, no title
 * line, several lines, trailing whitespace Python strips and Java's {@code strip()} does not),
 * runs {@code rollout eval} with each retriever, writes each search's query, ids and
 * {@code <information>} block, and runs the Python test, which starts the servers itself.
 */
class SearchR1ConformanceTest extends SparkTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path ROOT = Path.of(System.getProperty("parallax.root", ".."));
  private static final String[] WORDS = {"river", "lantern", "harbor", "meadow", "copper",
      "glacier", "orchard", "falcon", "quarry", "violin", "canyon", "ember", "prairie", "saddle",
      "thimble", "walrus", "zephyr", "anchor", "basalt", "cobalt", "dynamo", "fjord", "granite",
      "hazel", "island", "jasmine", "kettle", "lagoon", "marble", "nectar", "oyster", "pepper",
      "quill", "raven", "sparrow", "tundra", "umber", "velvet", "willow", "yarrow"};
  /** Whitespace Python's str.strip() removes and Java's String.strip() keeps, and two it shares. */
  private static final String[] TRAILING = {"\u00a0", "\u2007", "\u202f", "\u0085", "\u3000",
      " \t"};

  @Test
  void searchR1ClientGetsSearchR1ShapesAndRenderingFromEveryRetriever() throws Exception {
    long t0 = System.nanoTime();
    Path corpus = tmp.resolve("corpus.jsonl");
    Path qa = tmp.resolve("qa.jsonl");
    writeCorpusAndQuestions(corpus, qa);
    Path index = tmp.resolve("index");
    Run built = cli("retrieval", "index", "--corpus", corpus.toString(), "--format", "jsonl",
        "--shards", "2", "--retrievers", "bm25,e5", "--out", index.toString());
    assertEquals(0, built.status(), built.err());
    Path rollouts = tmp.resolve("rollouts");
    Files.createDirectories(rollouts);
    for (String retriever : List.of("bm25", "e5", "hybrid")) {
      writeObservations(rollout(index, qa, retriever), rollouts.resolve(retriever + ".jsonl"));
    }
    System.out.printf("SearchR1ConformanceTest: index and 3 rollouts in %.1fs%n",
        (System.nanoTime() - t0) / 1e9);
    Path serve = tmp.resolve("serve.sh");
    Files.writeString(serve, serveScript());

    Process p = new ProcessBuilder("python3",
        ROOT.resolve("tests/src/test/python/searchr1_conformance.py").toString(),
        "--serve", "bash " + serve, "--index", index.toString(), "--corpus", corpus.toString(),
        "--rollouts", rollouts.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES));
    System.out.println(out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains(" 0 failed"), out);
  }

  /**
   * 160 passages of 12 words from a 40-word vocabulary, every fourth ending in whitespace, and
   * a few of unusual shape; 12 questions of three words of a passage, two of them Unicode.
   */
  private static void writeCorpusAndQuestions(Path corpus, Path qa) throws Exception {
    Random r = new Random(30);
    List<String> lines = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      StringBuilder text = new StringBuilder();
      for (int w = 0; w < 12; w++) {
        text.append(w == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
      }
      String contents = "\"Topic " + i + "\"\n" + text + "."
          + (i % 4 == 0 ? TRAILING[(i / 4) % TRAILING.length] : "");
      lines.add(passage("p" + i, contents));
      if (i % 14 == 3) {
        String[] t = text.toString().split(" ");
        questions.add(t[1] + " " + t[5] + " " + t[9]);
      }
    }
    lines.add(passage("u1", "\"Zürich\"\nZürich Straße 東京 İstanbul ΣΟΦΊΑ naïve café 🙂 "
        + "river\u00a0"));
    lines.add(passage("u2", "東京 tower, a passage without a title line"));
    lines.add(passage("u3", "\"Two lines\"\nlagoon walrus\nsecond line\r\nthird line \u2009"));
    lines.add(passage("u4", "\"Quoted \\\"title\\\"\"\nzephyr \"quotes\" and back\\slash"));
    questions.add("Zürich 東京 İstanbul");
    questions.add("lagoon\u00a0walrus second");
    Files.write(corpus, lines, StandardCharsets.UTF_8);
    List<String> q = new ArrayList<>();
    for (int i = 0; i < questions.size(); i++) {
      ObjectNode n = JSON.createObjectNode().put("id", "q" + i).put("question", questions.get(i));
      n.putArray("golden_answers").add("river");
      q.add(n.toString());
    }
    Files.write(qa, q, StandardCharsets.UTF_8);
  }

  private static String passage(String id, String contents) {
    return JSON.createObjectNode().put("id", id).put("contents", contents).toString();
  }

  private Path rollout(Path index, Path qa, String retriever) {
    Path out = tmp.resolve("rollout-" + retriever);
    Run run = cli("rollout", "eval", "--questions", qa.toString(), "--format", "jsonl",
        "--index", index.toString(), "--mode", "search-r1", "--policy", "extractive",
        "--retriever", retriever, "--topk", "3", "--info-tokens", "100000", "--out",
        out.toString());
    assertEquals(0, run.status(), run.err());
    return out;
  }

  /** One line per search: the query, the topk, the ids and the {@code <information>} block. */
  private static void writeObservations(Path rollout, Path file) throws Exception {
    List<String> lines = new ArrayList<>();
    for (Row r : spark.read().parquet(rollout.resolve("rollouts").toString()).collectAsList()) {
      String response = r.getAs("response");
      List<Row> spans = r.getList(r.fieldIndex("info_spans"));
      int s = 0;
      for (Row turn : r.<Row>getList(r.fieldIndex("turns"))) {
        if (!"search".equals(turn.getAs("action"))) {
          continue;
        }
        Row span = spans.get(s++);
        ObjectNode n = JSON.createObjectNode().put("query", turn.<String>getAs("content"))
            .put("topk", 3)
            .put("information", response.substring(span.getInt(0), span.getInt(1)));
        turn.<String>getList(turn.fieldIndex("doc_ids")).forEach(n.withArray("doc_ids")::add);
        lines.add(n.toString());
      }
    }
    assertTrue(lines.size() >= 12, rollout + ": " + lines.size() + " searches");
    Files.write(file, lines, StandardCharsets.UTF_8);
  }

  /** {@code retrieval serve} as {@code submit/run} starts it, in a JVM of its own. */
  private static String serveScript() throws Exception {
    String classpath = System.getProperty("parallax.cluster.jar") + File.pathSeparator
        + Files.readString(ROOT.resolve("spark-jobs/target/local-classpath.txt")).trim();
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    cmd.addAll(ManagementArgs.javaOpts());
    cmd.addAll(Files.readAllLines(ROOT.resolve("submit/java17-opens")).stream()
        .filter(l -> !l.isBlank()).toList());
    cmd.addAll(List.of("-Dai.djl.offline=true",
        "-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"),
        "-DDJL_CACHE_DIR=" + System.getProperty("DJL_CACHE_DIR"),
        "-DENGINE_CACHE_DIR=" + System.getProperty("ENGINE_CACHE_DIR"),
        "-cp", classpath, "org.parallax.cli.ParallaxCli", "retrieval", "serve"));
    StringBuilder sb = new StringBuilder("exec");
    for (String c : cmd) {
      sb.append(" '").append(c.replace("'", "'\\''")).append('\'');
    }
    return sb.append(" \"$@\"\n").toString();
  }
}
