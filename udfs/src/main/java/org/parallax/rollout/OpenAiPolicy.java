package org.parallax.rollout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A policy served by an OpenAI-compatible completions endpoint ({@code POST /v1/completions}, as
 * vLLM, SGLang and TGI serve Search-R1 checkpoints): greedy decoding, {@code max_tokens} per turn,
 * stop strings {@code </search>} and {@code </answer>}. The server drops the stop string it
 * stopped at; it is put back only when the server says which one matched (vLLM's
 * {@code stop_reason}, SGLang's {@code matched_stop}): a turn that ended at the end-of-sequence
 * token also reports {@code finish_reason: "stop"} and gets nothing added. Only for a server that
 * reports neither field is the stop string inferred from the text (the element left open).
 * Batches go out {@code batchSize} prompts per request, at most
 * {@code concurrency} requests in flight per executor; a failed request (connection error,
 * timeout, 429 or 5xx) is retried with exponential back-off, and after {@code retries} retries
 * the task fails, which Spark retries. Thread-safe.
 */
public final class OpenAiPolicy implements Policy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PolicySpec spec;
  private final HttpClient http;
  private final ExecutorService requests;
  private final URI uri;

  OpenAiPolicy(PolicySpec spec) {
    this.spec = spec;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofMillis((long) (spec.timeoutSeconds() * 1000))).build();
    this.requests = Executors.newFixedThreadPool(spec.concurrency(), r -> {
      Thread t = new Thread(r, "parallax-openai");
      t.setDaemon(true);
      return t;
    });
    String base = spec.endpoint().replaceAll("/+$", "");
    this.uri = URI.create(base.endsWith("/v1") ? base + "/completions" : base + "/v1/completions");
  }

  @Override
  public List<String> generate(List<Input> batch) {
    List<Future<List<String>>> parts = new ArrayList<>();
    for (int i = 0; i < batch.size(); i += spec.batchSize()) {
      List<Input> chunk = batch.subList(i, Math.min(batch.size(), i + spec.batchSize()));
      parts.add(requests.submit(() -> complete(chunk)));
    }
    List<String> out = new ArrayList<>(batch.size());
    try {
      for (Future<List<String>> f : parts) {
        out.addAll(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + uri, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("completions request to " + uri + " failed: "
          + e.getCause().getMessage(), e.getCause());
    }
    return out;
  }

  private List<String> complete(List<Input> chunk) throws IOException, InterruptedException {
    boolean search = chunk.stream().anyMatch(Input::searchAllowed);
    ObjectNode body = JSON.createObjectNode();
    body.put("model", spec.model());
    ArrayNode prompts = body.putArray("prompt");
    chunk.forEach(in -> prompts.add(in.context()));
    body.put("max_tokens", spec.maxTurnTokens());
    body.put("temperature", 0);
    ArrayNode stop = body.putArray("stop");
    if (search) {
      stop.add("</search>");
    }
    stop.add("</answer>");
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(Duration.ofMillis((long) (spec.timeoutSeconds() * 1000)))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
    IOException last = null;
    for (int attempt = 0; attempt <= spec.retries(); attempt++) {
      if (attempt > 0) {
        Thread.sleep(Math.min(10_000L, 100L << Math.min(attempt - 1, 10)));
      }
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return parse(JSON.readTree(r.body()), chunk.size());
        }
        last = new IOException("HTTP " + r.statusCode() + ": " + abbreviate(r.body()));
        if (r.statusCode() != 429 && r.statusCode() < 500) {
          throw last;
        }
      } catch (java.net.http.HttpTimeoutException | java.net.ConnectException e) {
        last = e;
      } catch (IOException e) {
        if (e == last) {
          throw e;
        }
        last = e;
      }
    }
    throw new IOException("gave up after " + (spec.retries() + 1) + " attempts", last);
  }

  /** The choices' texts by index, with the stop string the server dropped put back. */
  static List<String> parse(JsonNode response, int n) throws IOException {
    String[] texts = new String[n];
    for (JsonNode c : response.path("choices")) {
      int i = c.path("index").asInt(-1);
      if (i < 0 || i >= n) {
        throw new IOException("completion choice index " + i + " out of range " + n);
      }
      String text = c.path("text").asText("");
      texts[i] = text + droppedStop(c, text);
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (texts[i] == null) {
        throw new IOException("completion response lacks choice " + i);
      }
      out.add(texts[i]);
    }
    return out;
  }

  /**
   * The stop string the server stopped at and left out of {@code text}, or "" when it stopped
   * for another reason (end of sequence, length) or kept it.
   */
  static String droppedStop(JsonNode choice, String text) {
    if (!"stop".equals(choice.path("finish_reason").asText())) {
      return "";
    }
    JsonNode matched = choice.has("stop_reason") ? choice.get("stop_reason")
        : choice.get("matched_stop");
    if (matched == null) {
      // The server does not say which stop matched: infer it from the element left open.
      return restoreStop(text).substring(text.length());
    }
    String stop = matched.isTextual() ? matched.asText() : "";
    boolean ours = stop.equals("</search>") || stop.equals("</answer>");
    return ours && !text.endsWith(stop) ? stop : "";
  }

  /** Closes the element the server stopped in: the last opened of search or answer. */
  static String restoreStop(String text) {
    int s = text.lastIndexOf("<search>");
    int a = text.lastIndexOf("<answer>");
    if (s > a && text.indexOf("</search>", s) < 0) {
      return text + "</search>";
    }
    if (a > s && text.indexOf("</answer>", a) < 0) {
      return text + "</answer>";
    }
    return text;
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
