package org.parallax.retrieval.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled e5-small-v2-q through DJL's ONNX Runtime engine, as the index job runs it. */
class E5EncoderTest {
  private static final List<String> SENTENCES = List.of("The cat sat on the mat.",
      "Paris is the capital of France.", "how much protein should a female eat");
  /** Dimensions 0, 1, 2, 100 and 383 of each passage embedding, computed once (one batch of 8). */
  private static final float[][] PINNED = {
    {-0.043100853f, 0.019413022f, 0.031287022f, 0.009513645f, 0.037404567f},
    {-0.055992886f, 0.055579588f, -0.0056490717f, -0.010839018f, 0.012133661f},
    {-0.06875052f, 0.005618997f, 0.030363226f, 0.016665203f, -0.007774973f},
  };
  private static final int[] DIMS = {0, 1, 2, 100, 383};
  private static E5Encoder encoder;

  @BeforeAll
  static void load() {
    encoder = E5Encoder.get(BundledE5.directory(), BundledE5.fingerprint(), 1);
  }

  @Test
  void passageEmbeddingsEqualPinnedValues() {
    assertEquals(384, encoder.dimension());
    float[][] v = encoder.encode(SENTENCES, E5Encoder.PASSAGE, 8);
    for (int s = 0; s < SENTENCES.size(); s++) {
      assertEquals(1.0, DenseMath.dot(v[s], v[s], 0, 384), 1e-5, "unit norm");
      for (int d = 0; d < DIMS.length; d++) {
        assertEquals(PINNED[s][d], v[s][DIMS[d]], 1e-4, SENTENCES.get(s) + " dim " + DIMS[d]);
      }
    }
    float[] q = encoder.encode(List.of("What is the capital of France?"), E5Encoder.QUERY, 8)[0];
    assertEquals(0.8999, DenseMath.dot(q, v[1], 0, 384), 1e-3);
  }

  @Test
  void paraphraseRanksAboveUnrelatedSentence() {
    float[][] v = encoder.encode(List.of("The capital of France is Paris.",
        "Paris is the French capital city.", "Add two cups of flour and stir the batter."),
        E5Encoder.PASSAGE, 8);
    float paraphrase = DenseMath.dot(v[0], v[1], 0, 384);
    float unrelated = DenseMath.dot(v[0], v[2], 0, 384);
    assertTrue(paraphrase > unrelated + 0.05, paraphrase + " vs " + unrelated);
  }

  /**
   * Batch size 1 (the CPU default) makes a text's embedding a function of the text alone; in a
   * padded batch the quantised model's dynamic activation ranges see the whole batch, which
   * moves the embedding slightly (cosine 0.995 against a 20 times longer batch-mate).
   */
  @Test
  void embeddingDependsOnItsBatchOnlyThroughQuantisationNoise() {
    float[] alone = encoder.encode(List.of(SENTENCES.get(0)), E5Encoder.PASSAGE, 1)[0];
    String longer = "A much longer passage about many things, ".repeat(20);
    float[][] single = encoder.encode(List.of(longer, SENTENCES.get(0)), E5Encoder.PASSAGE, 1);
    for (int d = 0; d < 384; d++) {
      assertEquals(alone[d], single[1][d], 0f, "dim " + d);
    }
    float[][] padded = encoder.encode(List.of(longer, SENTENCES.get(0)), E5Encoder.PASSAGE, 2);
    float cos = DenseMath.dot(alone, padded[1], 0, 384);
    assertTrue(cos > 0.99 && cos < 1.0, "cosine " + cos);
  }

  @Test
  void longTextIsTruncatedNotRejected() {
    float[] v = encoder.encode(List.of("word ".repeat(5000)), E5Encoder.PASSAGE, 1)[0];
    assertEquals(1.0, DenseMath.dot(v, v, 0, 384), 1e-5);
  }
}
