package org.parallax.rollout;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A causal language model run in the executor through DJL (PyTorch engine; the GPU when DJL sees
 * one, else the CPU), with its HuggingFace tokenizer ({@code tokenizer.json}); loaded once per
 * executor JVM by {@link Policies}. Decoding is greedy and batched: a batch's prompts are
 * left-padded, the model returns next-token logits for {@code (input_ids, attention_mask)}, and
 * each sequence stops at {@code </search>} (when it may search), at {@code </answer>}, at the
 * model's end-of-sequence token (not part of the text) or after {@code maxTurnTokens} tokens. The
 * end-of-sequence ids are those the model directory declares: {@code eos_token_id} of
 * {@code generation_config.json} and {@code config.json}, {@code eos_token} of
 * {@code tokenizer_config.json}, {@code eos_id} of {@code parallax-lm.json}. The model directory holds either a TorchScript export
 * ({@code model.pt}, forward(input_ids, attention_mask) returning logits [batch, time, vocab]) or
 * parallax's DJL-native {@link BigramLanguageModel} ({@code parallax-lm.json} and its
 * parameters). No KV cache: each step re-reads the whole sequence. Thread-safe.
 */
public final class DjlPolicy implements Policy {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PolicySpec spec;
  private final HuggingFaceTokenizer tokenizer;
  private final Model model;
  private final long pad;
  private final java.util.Set<Long> eos;

  DjlPolicy(PolicySpec spec) {
    this.spec = spec;
    Path dir = Path.of(spec.model());
    Device device = Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    try {
      // The whole context is the model's input: no truncation, no special tokens added.
      this.tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(dir.resolve(
          "tokenizer.json")).optAddSpecialTokens(false).optTruncation(false).build();
      this.model = load(dir, device);
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new IllegalStateException("cannot load the DJL policy model from " + dir + ": "
          + e.getMessage(), e);
    }
    this.pad = padId(dir);
    this.eos = eosIds(dir);
  }

  /** The end-of-sequence token ids the model directory declares (possibly none). */
  private java.util.Set<Long> eosIds(Path dir) {
    java.util.Set<Long> ids = new java.util.TreeSet<>();
    try {
      for (String[] f : new String[][] {{"generation_config.json", "eos_token_id"},
          {"config.json", "eos_token_id"}, {"parallax-lm.json", "eos_id"}}) {
        Path p = dir.resolve(f[0]);
        JsonNode v = Files.exists(p) ? JSON.readTree(p.toFile()).get(f[1]) : null;
        if (v != null && v.isArray()) {
          v.forEach(x -> ids.add(x.asLong()));
        } else if (v != null && v.canConvertToLong()) {
          ids.add(v.asLong());
        }
      }
      Path tc = dir.resolve("tokenizer_config.json");
      JsonNode token = Files.exists(tc) ? JSON.readTree(tc.toFile()).get("eos_token") : null;
      String text = token == null ? null : token.isTextual() ? token.asText()
          : token.path("content").asText(null);
      long[] encoded = text == null ? new long[0] : tokenizer.encode(text).getIds();
      if (encoded.length == 1) {
        ids.add(encoded[0]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the model configuration in " + dir, e);
    }
    return ids;
  }

  private static Model load(Path dir, Device device)
      throws IOException, ModelNotFoundException, MalformedModelException {
    if (Files.exists(dir.resolve("model.pt"))) {
      ZooModel<NDList, NDList> zoo = Criteria.builder().setTypes(NDList.class, NDList.class)
          .optModelPath(dir).optModelName("model").optEngine("PyTorch").optDevice(device)
          .optTranslator(new NoopTranslator()).build().loadModel();
      return zoo;
    }
    Path config = dir.resolve("parallax-lm.json");
    if (!Files.exists(config)) {
      throw new IOException("expected model.pt (TorchScript) or parallax-lm.json in " + dir);
    }
    JsonNode c = JSON.readTree(config.toFile());
    Model m = Model.newInstance("parallax-lm", device, "PyTorch");
    m.setBlock(new BigramLanguageModel(c.get("vocab").asInt()));
    m.load(dir, "parallax-lm");
    return m;
  }

  private long padId(Path dir) {
    try {
      JsonNode c = Files.exists(dir.resolve("parallax-lm.json"))
          ? JSON.readTree(dir.resolve("parallax-lm.json").toFile()) : null;
      return c != null && c.has("pad_id") ? c.get("pad_id").asLong() : 0L;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<String> generate(List<Input> batch) {
    List<String> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i += spec.batchSize()) {
      out.addAll(decode(batch.subList(i, Math.min(batch.size(), i + spec.batchSize()))));
    }
    return out;
  }

  /** Greedy decoding of one batch. */
  private List<String> decode(List<Input> batch) {
    int n = batch.size();
    List<long[]> prompts = new ArrayList<>(n);
    int longest = 0;
    for (Input in : batch) {
      long[] ids = tokenizer.encode(in.context()).getIds();
      prompts.add(ids);
      longest = Math.max(longest, ids.length);
    }
    int steps = spec.maxTurnTokens();
    long[][] seq = new long[n][longest + steps];
    long[][] mask = new long[n][longest + steps];
    for (int b = 0; b < n; b++) {
      long[] p = prompts.get(b);
      int offset = longest - p.length;
      java.util.Arrays.fill(seq[b], pad);
      System.arraycopy(p, 0, seq[b], offset, p.length);
      java.util.Arrays.fill(mask[b], offset, longest, 1);
    }
    List<List<Long>> generated = new ArrayList<>();
    boolean[] done = new boolean[n];
    String[] texts = new String[n];
    for (int b = 0; b < n; b++) {
      generated.add(new ArrayList<>());
      texts[b] = "";
    }
    try (Predictor<NDList, NDList> predictor = model.newPredictor(new NoopTranslator());
        NDManager manager = NDManager.newBaseManager(model.getNDManager().getDevice())) {
      for (int step = 0, len = longest; step < steps && !allDone(done); step++, len++) {
        try (NDManager stepManager = manager.newSubManager()) {
          NDArray ids = stepManager.create(slice(seq, len));
          NDArray am = stepManager.create(slice(mask, len));
          NDArray logits = predictor.predict(new NDList(ids, am)).get(0);
          long[] next = logits.get(":, -1, :").argMax(1).toType(ai.djl.ndarray.types.DataType
              .INT64, false).toLongArray();
          for (int b = 0; b < n; b++) {
            seq[b][len] = done[b] ? pad : next[b];
            mask[b][len] = 1;
            if (!done[b] && eos.contains(next[b])) {
              done[b] = true;
            } else if (!done[b]) {
              generated.get(b).add(next[b]);
              texts[b] = tokenizer.decode(toArray(generated.get(b)));
              done[b] = stopped(texts[b], batch.get(b).searchAllowed());
            }
          }
        }
      }
    } catch (TranslateException e) {
      throw new IllegalStateException("DJL policy inference failed: " + e.getMessage(), e);
    }
    List<String> out = new ArrayList<>(n);
    for (String t : texts) {
      out.add(SearchR1Protocol.cut(t));
    }
    return out;
  }

  private static boolean stopped(String text, boolean searchAllowed) {
    return (searchAllowed && text.contains("</search>")) || text.contains("</answer>");
  }

  private static boolean allDone(boolean[] done) {
    for (boolean d : done) {
      if (!d) {
        return false;
      }
    }
    return true;
  }

  private static long[][] slice(long[][] a, int len) {
    long[][] out = new long[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = java.util.Arrays.copyOf(a[i], len);
    }
    return out;
  }

  private static long[] toArray(List<Long> ids) {
    long[] out = new long[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ids.get(i);
    }
    return out;
  }
}
