package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a person sees on the console of {@code submit/run} ({@link Console}): parallax's lines, its
 * one-line result or failure, never a stack trace or an engine's warning. The recsys stages
 * (PyTorch training, ALS, scoring) are run that way by {@link DemoTest}.
 */
class ConsoleTest extends SparkTestBase {

  private Console run(String... args) throws Exception {
    return Console.run(tmp, List.of(), args);
  }

  @Test
  void datagenIndexSearchChainNeedsNoFormatAndFailuresAreOneLine() throws Exception {
    // datagen (in this JVM: its console is not what is checked here) writes JSON parts into a
    // folder named "corpus": the format comes from the parts.
    Run gen = cli("datagen", "retrieval", "--out", tmp.resolve("q").toString(), "--scale", "400");
    assertEquals(0, gen.status(), gen.err());
    Console index = run("retrieval", "index", "--corpus", "q/corpus", "--out", "idx",
        "--shards", "2");
    assertEquals(0, index.status(), index.errText());
    assertEquals(400, report(tmp.resolve("idx")).get("counts").get("documents").asLong());
    index.assertQuiet();
    Console search = run("retrieval", "search", "--index", "idx", "--queries", "q/qa",
        "--out", "hits", "--k", "3");
    assertEquals(0, search.status(), search.errText());
    search.assertQuiet();

    // Forcing the wrong format fails inside the executors: one line, no executor trace.
    Console bad = run("retrieval", "index", "--corpus", "q/corpus", "--format", "parquet",
        "--out", "bad");
    assertEquals(1, bad.status(), bad.errText());
    assertEquals(1, bad.err().stream().filter(l -> l.startsWith("parallax: failed:")).count(),
        bad.errText());
    bad.assertQuiet();
  }
}
