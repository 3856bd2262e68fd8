package org.parallax.tests;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.parallax.rollout.BigramLanguageModel;

/**
 * Builds, in a directory, a tiny model the DJL policy loads: a HuggingFace word-level tokenizer
 * ({@code tokenizer.json}) whose pre-tokenizer isolates tags and whitespace, and a bigram model
 * whose weights script a Search-R1 episode: after the prompt's final newline it writes
 * {@code <search> paris </search>}; after an information block ({@code \n\n}) it writes
 * {@code <answer> london </answer>}. A variant ({@link #buildEndingAtEos}) ends its answer with an
 * end-of-sequence token {@code [EOS]} instead of {@code </answer>}, and would go on to
 * {@code paris} if decoding did not stop there.
 */
final class TinyLanguageModel {
  static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "\n", "\n\n", "<search>",
      "</search>", "<answer>", "</answer>", "paris", "london");
  private static final Map<String, String> NEXT = Map.of(
      "\n", "<search>", "<search>", "paris", "paris", "</search>", "</search>", "<answer>",
      "\n\n", "<answer>", "<answer>", "london", "london", "</answer>", "</answer>", "[PAD]",
      "[UNK]", "<answer>", "[PAD]", "[PAD]");

  private TinyLanguageModel() {}

  static Path build(Path dir) throws Exception {
    return build(dir, VOCAB, NEXT, -1);
  }

  static Path buildEndingAtEos(Path dir) throws Exception {
    List<String> vocab = new java.util.ArrayList<>(VOCAB);
    vocab.add("[EOS]");
    Map<String, String> next = new java.util.HashMap<>(NEXT);
    next.put("london", "[EOS]");
    next.put("[EOS]", "paris");
    return build(dir, vocab, next, vocab.indexOf("[EOS]"));
  }

  private static Path build(Path dir, List<String> words, Map<String, String> script, int eos)
      throws Exception {
    Files.createDirectories(dir);
    StringBuilder vocab = new StringBuilder();
    for (int i = 0; i < words.size(); i++) {
      vocab.append(i == 0 ? "" : ", ").append(new com.fasterxml.jackson.databind.ObjectMapper()
          .writeValueAsString(words.get(i))).append(": ").append(i);
    }
    Files.writeString(dir.resolve("tokenizer.json"), "{\"version\": \"1.0\", \"truncation\": null,"
        + " \"padding\": null, \"added_tokens\": [], \"normalizer\": null, \"pre_tokenizer\": "
        + "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"</?[a-z]+>|\\\\s+\"}, \"behavior\": "
        + "\"Isolated\", \"invert\": false}, \"post_processor\": null, \"decoder\": null, "
        + "\"model\": {\"type\": \"WordLevel\", \"vocab\": {" + vocab + "}, \"unk_token\": "
        + "\"[UNK]\"}}");
    Files.writeString(dir.resolve("parallax-lm.json"), "{\"architecture\": \"bigram\", "
        + "\"vocab\": " + words.size() + ", \"pad_id\": 0" + (eos < 0 ? "" : ", \"eos_id\": "
        + eos) + "}");
    int v = words.size();
    float[] w = new float[v * v];
    script.forEach((from, to) -> w[words.indexOf(from) * v + words.indexOf(to)] = 10f);
    try (Model model = Model.newInstance("parallax-lm", Device.cpu(), "PyTorch")) {
      BigramLanguageModel block = new BigramLanguageModel(v);
      model.setBlock(block);
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
      block.weight().getArray().set(FloatBuffer.wrap(w));
      model.save(dir, "parallax-lm");
    }
    return dir;
  }
}
