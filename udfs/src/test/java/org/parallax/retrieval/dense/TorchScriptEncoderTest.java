package org.parallax.retrieval.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TorchScript model directory through DJL's PyTorch engine, the {@code *.pt} path of
 * {@code --encoder}: the tiny BERT-shaped model of {@code torchscript-encoder/} (written by its
 * {@code make_model.py}, weights pinned by formulas) beside the bundled model's
 * {@code tokenizer.json}. Its embeddings must equal a plain Java computation of the same model
 * followed by the e5 rules (mean pooling over the attention mask, L2 normalisation), alone and in
 * a padded batch.
 */
class TorchScriptEncoderTest {
  private static final int DIM = 16;
  private static final List<String> TEXTS = List.of("Paris is the capital of France.",
      "how much protein should a female eat",
      "The first complete answer element ends the trajectory; a search appends passages.");
  @TempDir static Path dir;
  private static E5Encoder encoder;
  private static HuggingFaceTokenizer tokenizer;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in = TorchScriptEncoderTest.class.getResourceAsStream(
        "/torchscript-encoder/tiny-encoder.pt")) {
      Files.copy(in, dir.resolve("tiny-encoder.pt"));
    }
    Files.copy(BundledE5.directory().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    encoder = new E5Encoder(dir, 1);
    tokenizer = HuggingFaceTokenizer.builder().optTokenizerPath(dir.resolve("tokenizer.json"))
        .optMaxLength(E5Encoder.MAX_TOKENS).optTruncation(true).optPadding(false)
        .optAddSpecialTokens(true).build();
  }

  @AfterAll
  static void close() {
    encoder.close();
    tokenizer.close();
  }

  @Test
  void embeddingsEqualThePlainComputationAloneAndInAPaddedBatch() {
    assertEquals(DIM, encoder.dimension());
    assertEquals("cpu()", encoder.device());
    float[][] alone = encoder.encode(TEXTS, E5Encoder.QUERY, 1);
    float[][] batch = encoder.encode(TEXTS, E5Encoder.QUERY, TEXTS.size());
    int shortest = Integer.MAX_VALUE;
    int longest = 0;
    for (int s = 0; s < TEXTS.size(); s++) {
      Encoding e = tokenizer.encode(E5Encoder.QUERY + TEXTS.get(s));
      shortest = Math.min(shortest, e.getIds().length);
      longest = Math.max(longest, e.getIds().length);
      float[] want = plain(e.getIds(), e.getTypeIds());
      assertEquals(1.0, DenseMath.dot(alone[s], alone[s], 0, DIM), 1e-5, "unit norm");
      for (int d = 0; d < DIM; d++) {
        assertEquals(want[d], alone[s][d], 1e-5, TEXTS.get(s) + " dim " + d);
        assertEquals(want[d], batch[s][d], 1e-5, TEXTS.get(s) + " in a padded batch, dim " + d);
      }
    }
    assertTrue(longest > shortest + 5, "the batch is padded: " + shortest + " to " + longest);
    // The prefix is part of the text the model sees.
    float[] passage = encoder.encode(TEXTS.subList(0, 1), E5Encoder.PASSAGE, 1)[0];
    assertNotEquals(alone[0][0], passage[0]);
  }

  /** The model of make_model.py in plain Java, mean-pooled over every token and normalised. */
  private static float[] plain(long[] ids, long[] types) {
    int t = ids.length;
    double[][] x = new double[t][DIM];
    double[] c = new double[DIM];
    for (int j = 0; j < t; j++) {
      long i = ids[j] % 1000;
      for (int d = 0; d < DIM; d++) {
        x[j][d] = (float) (Math.sin(0.0131 * (i + 1) * (d + 1)) + 0.1 * Math.cos(0.7 * i + d))
            + (float) (0.05 * Math.cos(0.021 * (j + 1) * (d + 1)))
            + (float) (0.1 * (types[j] + 1) * Math.sin(d + 1));
        c[d] += x[j][d] / t;
      }
    }
    float[] pooled = new float[DIM];
    for (int j = 0; j < t; j++) {
      for (int d = 0; d < DIM; d++) {
        pooled[d] += (float) (Math.tanh(x[j][d] + c[d]) / t);
      }
    }
    DenseMath.normalize(pooled);
    return pooled;
  }
}
