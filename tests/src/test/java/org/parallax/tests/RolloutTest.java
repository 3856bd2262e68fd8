package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.RetrievalServer;
import org.parallax.retrieval.ShardedIndex;
import org.parallax.rollout.AnswerScorer;
import org.parallax.rollout.ExtractivePolicy;
import org.parallax.rollout.Policy;
import org.parallax.rollout.RolloutJob;
import org.parallax.rollout.SearchR1Protocol;

/**
 * {@code rollout eval} end to end: the three modes with the extractive policy against an
 * in-process expectation, a scripted OpenAI-compatible endpoint over a socket (with injected
 * failures), and a job killed after a turn and resumed.
 */
class RolloutTest extends SparkTestBase {
  /** The information cap of the extractive policy: 500 approximate tokens. */
  private static final org.parallax.rollout.ObservationCap CAP =
      new org.parallax.rollout.ObservationCap(500, null);
  /** Inputs every test of the class reads: {@link #indexedCorpora} and {@link #setup}. */
  @TempDir static Path shared;
  private static List<Path> corpora;
  private static Setup setup;

  @Test
  void extractiveModesMatchInProcessExpectationOnGeneratedAndHotpotQa() throws Exception {
    for (Path data : indexedCorpora()) {
      Path index = data.resolveSibling(data.getFileName() + "-index");
      double expected = expectedExtractiveEm(index, data.resolve("qa"));
      for (String mode : List.of("direct", "rag", "search-r1")) {
        Path out = data.resolveSibling(data.getFileName() + "-" + mode);
        Run run = cli("rollout", "eval", "--questions", data.resolve("qa").toString(),
            "--format", "jsonl", "--index", index.toString(), "--mode", mode, "--out",
            out.toString());
        assertEquals(0, run.status(), run.err());
        JsonNode overall = report(out).get("metrics").get("overall");
        String what = data.getFileName() + " " + mode;
        assertEquals(mode.equals("direct") ? 0.0 : expected, overall.get("em").asDouble(), 1e-12,
            what);
        assertEquals(mode.equals("search-r1") ? 1.0 : 0.0, overall.get("searches").asDouble(),
            1e-12, what);
        assertEquals(1.0, overall.get("valid_action_rate").asDouble(), 1e-12, what);
        assertTrue(Files.exists(out.resolve("metrics.png")) && Files.exists(
            out.resolve("report.html")), what);
        if (mode.equals("search-r1")) {
          for (Row r : spark.read().parquet(out.resolve("rollouts").toString()).collectAsList()) {
            String response = r.getAs("response");
            List<Row> spans = r.getList(r.fieldIndex("info_spans"));
            assertEquals(1, spans.size());
            String info = response.substring(spans.get(0).getInt(0), spans.get(0).getInt(1));
            // Whole, or cut at the reference's 500 tokens (approximated for this policy).
            assertTrue(info.startsWith("\n\n<information>Doc 1(Title: ")
                && (info.endsWith("</information>\n\n") || info.equals(CAP.apply(info + " x"))),
                info);
            assertEquals(3, r.<Row>getList(r.fieldIndex("turns")).get(0).getList(3).size());
          }
        }
      }
      if (data.getFileName().toString().equals("gen")) {
        assertTrue(expected > 0.6, "extractive EM on planted answers: " + expected);
      }
    }
  }

  @Test
  void scriptedEndpointInAllModesOnGeneratedAndHotpotQa() throws Exception {
    for (Path data : indexedCorpora()) {
      Path index = data.resolveSibling(data.getFileName() + "-index");
      // Every other question (by id) is answered with its gold answer, the rest wrongly.
      Map<String, ScriptedCompletionServer.Script> scripts = new HashMap<>();
      List<Row> qa = spark.read().json(data.resolve("qa").toString()).orderBy("id")
          .collectAsList();
      for (int i = 0; i < qa.size(); i++) {
        Row r = qa.get(i);
        String gold = r.<String>getList(r.fieldIndex("golden_answers")).get(0);
        scripts.put(SearchR1Protocol.question(r.getAs("question")),
            new ScriptedCompletionServer.Script(1, i % 2 == 0 ? gold : "a wrong answer", false));
      }
      // Questions asked twice share one script: count what the script says for each.
      int right = 0;
      for (Row r : qa) {
        right += r.<String>getList(r.fieldIndex("golden_answers")).contains(scripts.get(
            SearchR1Protocol.question(r.getAs("question"))).answer()) ? 1 : 0;
      }
      assertTrue(right > qa.size() / 3, "right answers scripted: " + right);
      try (ScriptedCompletionServer server = new ScriptedCompletionServer(scripts, 0)) {
        for (String mode : List.of("direct", "rag", "search-r1")) {
          Path out = data.resolveSibling(data.getFileName() + "-openai-" + mode);
          Run run = cli("rollout", "eval", "--questions", data.resolve("qa").toString(),
              "--format", "jsonl", "--index", index.toString(), "--mode", mode, "--policy",
              "openai", "--endpoint", server.url(), "--out", out.toString());
          assertEquals(0, run.status(), run.err());
          JsonNode overall = report(out).get("metrics").get("overall");
          String what = data.getFileName() + " " + mode;
          assertEquals((double) right / qa.size(), overall.get("em").asDouble(), 1e-12, what);
          assertEquals(mode.equals("search-r1") ? 1.0 : 0.0,
              overall.get("searches").asDouble(), 1e-12, what);
          assertEquals(qa.size(), overall.get("questions").asLong(), what);
        }
      }
    }
  }

  @Test
  void scriptedEndpointMultiTurnWithFailuresGivesHandComputedMetrics() throws Exception {
    Setup s = setup();
    try (ScriptedCompletionServer clean = new ScriptedCompletionServer(s.scripts, 0);
        ScriptedCompletionServer flaky = new ScriptedCompletionServer(s.scripts, 5)) {
      Path a = tmp.resolve("clean");
      Path b = tmp.resolve("flaky");
      Run first = openai(s, clean.url(), a, false);
      assertEquals(0, first.status(), first.err());
      Run run = openai(s, flaky.url(), b, false);
      assertEquals(0, run.status(), run.err());
      assertTrue(flaky.failures.get() >= 2, "failures injected: " + flaky.failures.get());
      assertEquals(rows(a), rows(b), "retried failures change nothing");

      JsonNode r = report(a);
      JsonNode overall = r.get("metrics").get("overall");
      assertEquals(6, overall.get("questions").asLong());
      assertEquals(4, overall.get("scored").asLong());
      assertEquals(1, overall.get("invalid_questions").asLong());
      assertEquals(1, overall.get("no_gold").asLong(), "the empty question has a gold answer");
      assertEquals(0.5, overall.get("em").asDouble(), 1e-12);
      assertEquals(8 / 6.0, overall.get("searches").asDouble(), 1e-12);
      assertEquals(12 / 14.0, overall.get("valid_action_rate").asDouble(), 1e-12);
      Map<String, Row> byId = new HashMap<>();
      for (Row row : spark.read().parquet(a.resolve("rollouts").toString()).collectAsList()) {
        byId.put(row.getAs("id"), row);
      }
      assertEquals("answered", byId.get(s.ids[1]).getAs("status"));
      assertEquals(2, (int) byId.get(s.ids[1]).getAs("searches"));
      assertEquals("max_turns", byId.get(s.ids[3]).getAs("status"));
      assertEquals(4, (int) byId.get(s.ids[3]).getAs("searches"));
      assertTrue(byId.get(s.ids[2]).<String>getAs("response")
          .contains(SearchR1Protocol.INVALID_ACTION));
      assertEquals("invalid_question", byId.get("empty").getAs("status"));
      assertNull(byId.get("empty").getAs("em"));
      assertNull(byId.get("nogold").getAs("em"));
      assertEquals("x", byId.get("nogold").getAs("answer"));
    }
  }

  @Test
  void jobKilledAfterTurnTwoResumesToIdenticalResults() throws Exception {
    Setup s = setup();
    try (ScriptedCompletionServer server = new ScriptedCompletionServer(s.scripts, 0)) {
      Path whole = tmp.resolve("whole");
      assertEquals(0, openai(s, server.url(), whole, false).status());
      Path killed = tmp.resolve("killed");
      System.setProperty(RolloutJob.FAIL_AFTER_TURN, "2");
      Run failed;
      try {
        failed = openai(s, server.url(), killed, false);
      } finally {
        System.clearProperty(RolloutJob.FAIL_AFTER_TURN);
      }
      assertEquals(1, failed.status());
      assertTrue(failed.err().contains("fault injected after turn 2"), failed.err());
      assertTrue(Files.exists(tmp.resolve("killed._checkpoints/turn-02/_SUCCESS")));
      Run resumed = openai(s, server.url(), killed, true);
      assertEquals(0, resumed.status(), resumed.err());
      assertEquals(2, report(killed).get("counts").get("resumed_after_turn").asInt());
      assertEquals(rows(whole), rows(killed));
      assertTrue(!Files.exists(tmp.resolve("killed._checkpoints")), "checkpoints removed");
    }
  }

  @Test
  void djlPolicyRunsATinyModelBuiltHereInTheExecutors() throws Exception {
    Setup s = setup();
    Path model = TinyLanguageModel.build(tmp.resolve("tiny-lm"));
    Path out = tmp.resolve("djl");
    Run run = cli("rollout", "eval", "--questions", s.qa().toString(), "--index",
        s.index().toString(), "--policy", "djl", "--model", model.toString(), "--batch-size", "3",
        "--max-turn-tokens", "8", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    for (Row r : spark.read().parquet(out.resolve("rollouts").toString()).collectAsList()) {
      if (r.<String>getAs("id").equals("empty")) {
        assertEquals("invalid_question", r.getAs("status"));
        continue;
      }
      // The bigram model searches for "paris", then answers "london", as its weights say.
      assertTrue(r.<String>getAs("response").startsWith("<search> paris </search>\n\n"
          + "<information>"), r.<String>getAs("response"));
      assertTrue(r.<String>getAs("response").endsWith("</information>\n\n<answer> london "
          + "</answer>"), r.<String>getAs("response"));
      assertEquals("london", r.getAs("answer"));
      assertEquals(1, (int) r.getAs("searches"));
    }
    JsonNode overall = report(out).get("metrics").get("overall");
    assertEquals(0.0, overall.get("em").asDouble(), 1e-12, "no gold answer is london");
    assertEquals(1.0, overall.get("valid_action_rate").asDouble(), 1e-12);
  }

  @Test
  void servedModelGetsQwenChatTemplateAndStopsRestoredOnlyWhenMatched() throws Exception {
    Setup s = setup();
    Row first = spark.read().json(s.qa().toString()).filter("id = '" + s.ids[0] + "'").first();
    String q0 = SearchR1Protocol.question(first.getAs("question"));
    String gold0 = first.<String>getList(first.fieldIndex("golden_answers")).get(0);
    Map<String, ScriptedCompletionServer.Script> scripts = new HashMap<>(s.scripts);
    // The first question's answer ends at the end-of-sequence token: "stop" without stop_reason.
    scripts.put(q0, new ScriptedCompletionServer.Script(1, gold0, false, true));
    String bare = "Answer the given question. You must conduct reasoning inside <think> and "
        + "</think> first every time you get new information. After reasoning, if you find you "
        + "lack some knowledge, you can call a search engine by <search> query </search> and it "
        + "will return the top searched results between <information> and </information>. You "
        + "can search as many times as your want. If you find no further external knowledge "
        + "needed, you can directly provide the answer inside <answer> and </answer>, without "
        + "detailed illustrations. For example, <answer> Beijing </answer>. Question: " + q0
        + "\n";
    try (ScriptedCompletionServer server = new ScriptedCompletionServer(scripts, 0)) {
      Path out = tmp.resolve("templated");
      Run run = cli(openaiArgs(s, server.url(), out, "--info-tokens", "30"));
      assertEquals(0, run.status(), run.err());
      assertTrue(server.prompts.contains("<|im_start|>system\nYou are Qwen, created by Alibaba "
          + "Cloud. You are a helpful assistant.<|im_end|>\n<|im_start|>user\n" + bare
          + "<|im_end|>\n<|im_start|>assistant\n"), "Qwen2.5 chat template by default");
      Map<String, Row> byId = new HashMap<>();
      for (Row r : spark.read().parquet(out.resolve("rollouts").toString()).collectAsList()) {
        byId.put(r.getAs("id"), r);
      }
      Row eos = byId.get(s.ids[0]);
      assertTrue(eos.<String>getAs("response").contains("<answer> " + gold0
          + SearchR1Protocol.INVALID_ACTION), "nothing added after an end of sequence");
      assertNull(eos.getAs("answer"));
      assertEquals("max_turns", eos.getAs("status"));
      Row stopped = byId.get(s.ids[1]);
      assertTrue(stopped.<String>getAs("response").endsWith(" </answer>"),
          "</answer> put back: the server said it matched");
      assertEquals(1.0, stopped.<Double>getAs("em"), 1e-12);
      assertTrue(stopped.<String>getAs("response").contains("</search>\n\n<information>"));
      // Information blocks cut to 30 approximate tokens: the closing tag is gone.
      java.util.regex.Pattern pieces = java.util.regex.Pattern.compile(
          "[\\p{L}\\p{M}]{1,6}|\\p{N}|[^\\s\\p{L}\\p{M}\\p{N}]");
      for (Row r : byId.values()) {
        for (Row span : r.<Row>getList(r.fieldIndex("info_spans"))) {
          String info = r.<String>getAs("response").substring(span.getInt(0), span.getInt(1));
          assertTrue(info.startsWith("\n\n<information>Doc 1(Title: "), info);
          assertEquals(30, pieces.matcher(info).results().count(), info);
          assertTrue(!info.contains("</information>"), info);
        }
      }
      for (String[] t : new String[][] {{"none", ""}, {"file", "[INST] {prompt} [/INST]"}}) {
        String option = t[0];
        if (option.equals("file")) {
          option = Files.writeString(tmp.resolve("template.txt"), t[1]).toString();
        }
        server.prompts.clear();
        Path o = tmp.resolve("template-" + t[0]);
        Run r = cli(openaiArgs(s, server.url(), o, "--max-turns", "0", "--chat-template",
            option));
        assertEquals(0, r.status(), r.err());
        assertTrue(server.prompts.contains(t[0].equals("none") ? bare
            : "[INST] " + bare + " [/INST]"), t[0] + ": " + server.prompts);
      }
    }
  }

  @Test
  void searchQueriesBeyondTheClauseLimitAreCountedInTheReport() throws Exception {
    Path corpus = LongQueries.corpus(tmp.resolve("long-corpus.jsonl"));
    Path index = tmp.resolve("long-index");
    Run indexed = cli("retrieval", "index", "--corpus", corpus.toString(), "--shards", "2",
        "--out", index.toString());
    assertEquals(0, indexed.status(), indexed.err());
    Path questions = Files.write(tmp.resolve("long-questions.jsonl"), List.of(
        "{\"id\": \"cut\", \"question\": \"" + LongQueries.CUT + "\"}",
        "{\"id\": \"unknown\", \"question\": \"" + LongQueries.UNKNOWN_ONLY + "\"}",
        "{\"id\": \"short\", \"question\": \"w0003 other\"}"));
    // The extractive policy searches with the question itself, in the first turn only.
    Path out = tmp.resolve("long-rollouts");
    Run run = cli("rollout", "eval", "--questions", questions.toString(), "--index",
        index.toString(), "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode counts = report(out).get("counts");
    assertEquals(2, counts.get("search_queries_over_clause_limit").asLong());
    assertEquals(1, counts.get("search_queries_cut_to_clause_limit").asLong());
    assertEquals(3, spark.read().parquet(out.resolve("rollouts").toString())
        .filter("searches = 1").count(), "every question searched and got passages");
  }

  @Test
  void djlPolicyStopsAtTheModelsEndOfSequence() throws Exception {
    Setup s = setup();
    Path model = TinyLanguageModel.buildEndingAtEos(tmp.resolve("eos-lm"));
    Path out = tmp.resolve("djl-eos");
    Run run = cli("rollout", "eval", "--questions", s.qa().toString(), "--index",
        s.index().toString(), "--policy", "djl", "--model", model.toString(), "--max-turns", "1",
        "--max-turn-tokens", "8", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    Row r = spark.read().parquet(out.resolve("rollouts").toString())
        .filter("id = '" + s.ids[0] + "'").first();
    // Searches, then answers "london" and ends: without the stop at [EOS] the turn would go on
    // to "paris </search> ..." within its 8 tokens.
    assertTrue(r.<String>getAs("response").contains("</information>\n\n<answer> london"
        + SearchR1Protocol.INVALID_ACTION), r.<String>getAs("response"));
    assertEquals("max_turns", r.getAs("status"));
  }

  /**
   * A generated corpus ({@code gen}, 600 passages) and the HotpotQA sample ({@code hq}), each with
   * its QA set and a 2-shard index beside it ({@code <name>-index}); built once for the class
   * (the tests only read them and write their outputs beside them under names of their own).
   */
  private static synchronized List<Path> indexedCorpora() {
    if (corpora != null) {
      return corpora;
    }
    Path gen = shared.resolve("gen");
    assertEquals(0, cli("datagen", "retrieval", "--out", gen.toString(), "--scale", "600")
        .status());
    Path hq = shared.resolve("hq");
    assertEquals(0, cli("retrieval", "import-hotpotqa", "--input",
        bundledData().resolve("hotpotqa/hotpot_dev_distractor_v1.first53.json").toString(),
        "--out", hq.toString()).status());
    for (Path data : List.of(gen, hq)) {
      assertEquals(0, cli("retrieval", "index", "--corpus", data.resolve("corpus").toString(),
          "--format", "jsonl", "--shards", "2", "--out",
          data.resolveSibling(data.getFileName() + "-index").toString()).status());
    }
    corpora = List.of(gen, hq);
    return corpora;
  }

  /** Generated corpus, its index, and a QA file with scripted behaviour per question. */
  private record Setup(Path index, Path qa, String[] ids, Map<String, ScriptedCompletionServer
      .Script> scripts) {}

  /** The {@link Setup}, built once for the class: the tests only read it. */
  private static synchronized Setup setup() throws Exception {
    if (setup == null) {
      setup = buildSetup(shared.resolve("setup"));
    }
    return setup;
  }

  private static Setup buildSetup(Path dir) throws Exception {
    Path gen = dir.resolve("gen");
    assertEquals(0, cli("datagen", "retrieval", "--out", gen.toString(), "--scale", "400")
        .status());
    Path index = dir.resolve("index");
    assertEquals(0, cli("retrieval", "index", "--corpus", gen.resolve("corpus").toString(),
        "--format", "jsonl", "--shards", "2", "--out", index.toString()).status());
    List<Row> qa = spark.read().json(gen.resolve("qa").toString()).orderBy("id").limit(4)
        .collectAsList();
    String[] ids = new String[4];
    Map<String, ScriptedCompletionServer.Script> scripts = new HashMap<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Row r = qa.get(i);
      ids[i] = r.getAs("id");
      String gold = r.<String>getList(r.fieldIndex("golden_answers")).get(0);
      String q = SearchR1Protocol.question(r.getAs("question"));
      switch (i) {
        case 0 -> scripts.put(q, new ScriptedCompletionServer.Script(1, gold, false));
        case 1 -> scripts.put(q, new ScriptedCompletionServer.Script(2, gold, false));
        case 2 -> scripts.put(q, new ScriptedCompletionServer.Script(1, "nowhere", true));
        default -> { } // no script: it searches in every turn and never answers
      }
      lines.add(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(Map.of(
          "id", ids[i], "question",
          r.getAs("question"), "golden_answers", List.of(gold), "data_source", "synth")));
    }
    scripts.put("who knows?", new ScriptedCompletionServer.Script(0, "x", false));
    lines.add("{\"id\": \"nogold\", \"question\": \"who knows\", \"data_source\": \"synth\"}");
    lines.add("{\"id\": \"empty\", \"question\": \"  \", \"golden_answers\": [\"y\"]}");
    Path file = dir.resolve("questions.jsonl");
    Files.write(file, lines);
    return new Setup(index, file, ids, scripts);
  }

  private static String[] openaiArgs(Setup s, String url, Path out, String... extra) {
    List<String> args = new ArrayList<>(List.of("rollout", "eval", "--questions",
        s.qa().toString(), "--index", s.index().toString(), "--policy", "openai", "--endpoint",
        url, "--batch-size", "2", "--out", out.toString()));
    args.addAll(List.of(extra));
    return args.toArray(String[]::new);
  }

  private static Run openai(Setup s, String url, Path out, boolean resume) {
    List<String> args = new ArrayList<>(List.of("rollout", "eval", "--questions",
        s.qa().toString(), "--index", s.index().toString(), "--policy", "openai", "--endpoint",
        url, "--batch-size", "2", "--retries", "3", "--out", out.toString()));
    if (resume) {
      args.add("--resume");
    }
    return cli(args.toArray(String[]::new));
  }

  private static List<String> rows(Path out) {
    List<String> rows = new ArrayList<>();
    for (Row r : spark.read().parquet(out.resolve("rollouts").toString()).orderBy("id")
        .collectAsList()) {
      rows.add(r.getAs("id") + "|" + r.getAs("status") + "|" + r.getAs("answer") + "|"
          + r.getAs("em") + "|" + r.getAs("response") + "|" + r.getAs("turns"));
    }
    return rows;
  }

  /** EM of reading the top-3 passages of each question with the extractive policy, in-process. */
  private static double expectedExtractiveEm(Path index, Path qa) throws Exception {
    Policy policy = new ExtractivePolicy();
    double em = 0;
    int n = 0;
    try (ShardedIndex idx = RetrievalServer.open(index.toString(), new Configuration(), null)) {
      for (Row r : spark.read().json(qa.toString()).collectAsList()) {
        String q = r.getAs("question");
        List<String> contents = new ArrayList<>();
        for (Hit h : idx.search(q, 3)) {
          contents.add(h.contents());
        }
        String text = policy.generate(List.of(new Policy.Input(q,
            SearchR1Protocol.prompt(q, null) + CAP.apply(SearchR1Protocol.information(contents)),
            false)))
            .get(0);
        em += AnswerScorer.exactMatch(AnswerScorer.lastAnswer(text),
            r.getList(r.fieldIndex("golden_answers"))) ? 1 : 0;
        n++;
      }
    }
    return em / n;
  }
}
