package org.parallax.tests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local OpenAI-compatible completions endpoint that plays a Search-R1 model from a script:
 * per question (found after "Question: " in the prompt) it is told what to answer and how many
 * searches to make first; a question it has no script for always searches. Like vLLM it drops
 * the stop string it stopped at and names it in {@code stop_reason} ({@code null} when the turn
 * ended at the end-of-sequence token, which a script can ask for instead of closing its answer).
 * It records every prompt it is sent and can fail every n-th call with a 500.
 */
final class ScriptedCompletionServer implements AutoCloseable {
  /** What the model does for one question. */
  record Script(int searches, String answer, boolean invalidFirst, boolean answerEndsAtEos) {
    Script(int searches, String answer, boolean invalidFirst) {
      this(searches, answer, invalidFirst, false);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final Map<String, Script> scripts;
  private final int failEvery;
  private final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger failures = new AtomicInteger();
  final java.util.List<String> prompts = java.util.Collections.synchronizedList(
      new java.util.ArrayList<>());

  ScriptedCompletionServer(Map<String, Script> scripts, int failEvery) throws IOException {
    this.scripts = scripts;
    this.failEvery = failEvery;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/v1/completions", this::complete);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void complete(HttpExchange ex) throws IOException {
    int call = calls.incrementAndGet();
    if (failEvery > 0 && call % failEvery == 0) {
      failures.incrementAndGet();
      send(ex, 500, JSON.createObjectNode().put("error", "injected failure"));
      return;
    }
    JsonNode body = JSON.readTree(ex.getRequestBody());
    boolean searchAllowed = false;
    for (JsonNode s : body.get("stop")) {
      searchAllowed |= s.asText().equals("</search>");
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode choices = response.putArray("choices");
    int i = 0;
    for (JsonNode p : body.get("prompt")) {
      prompts.add(p.asText());
      String[] reply = reply(p.asText(), searchAllowed);
      ObjectNode c = choices.addObject().put("index", i++).put("text", reply[0])
          .put("finish_reason", reply[1]);
      if (reply[1].equals("stop")) {
        c.put("stop_reason", reply[2]);
      } else {
        c.putNull("stop_reason");
      }
    }
    send(ex, 200, response);
  }

  /** {text, finish_reason, stop_reason} for one context. */
  private String[] reply(String context, boolean searchAllowed) {
    int q = context.indexOf("Question: ");
    String question = context.substring(q + "Question: ".length(), context.indexOf('\n', q));
    Script s = scripts.getOrDefault(question, new Script(Integer.MAX_VALUE, "", false));
    if (context.contains("\nDocuments:\n") || context.contains("Answer the given question directly")) {
      // The rag and direct baselines answer in their only turn.
      return answer(s);
    }
    int turnsSoFar = count(context, "\n\n<information>") + count(context, "My previous action is");
    int searches = count(context, "\n\n<information>");
    if (s.invalidFirst() && turnsSoFar == 0) {
      return new String[] {"<think>I am not sure what to do.</think> hmm", "length", null};
    }
    if (searches < s.searches()) {
      // Past the last searching turn the server is asked without the </search> stop string.
      return searchAllowed
          ? new String[] {"<think>I should search.</think>\n<search> " + question, "stop",
              "</search>"}
          : new String[] {"<think>I should search.</think>\n<search> " + question, "length", null};
    }
    return answer(s);
  }

  /** The answer turn: stopped at {@code </answer>} (dropped), or at the end of sequence. */
  private static String[] answer(Script s) {
    return s.answerEndsAtEos()
        ? new String[] {"<think>Found it.</think>\n<answer> " + s.answer(), "stop", null}
        : new String[] {"<think>Found it.</think>\n<answer> " + s.answer() + " ", "stop",
            "</answer>"};
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
