package org.parallax.retrieval;

import java.util.List;
import org.parallax.common.Check;

/**
 * The dense part of {@code retrieval index}: which retrievers to build shards for and how to
 * encode.
 *
 * @param retrievers {@code bm25} (always: its shards hold the passages' text) and optionally
 *     {@code e5}
 * @param encoder an e5-style model directory (Hadoop URI), or null for the bundled
 *     e5-small-v2-q
 * @param encodeBatch texts per model call, 0 for the default (1 on a CPU, 32 on a GPU)
 * @param encoderThreads ONNX Runtime intra-op threads per model call (Spark's tasks give the
 *     parallelism across cores)
 * @param denseIndex {@code exact} (the float32 shards only) or {@code hnsw} (also Lucene HNSW
 *     graphs, with their recall against exact search measured on a sample)
 * @param vectors the passages' embeddings computed elsewhere ({@link VectorImport}: a
 *     {@code .npy} float32 matrix or FAISS flat index aligned by row, or Parquet id, vector),
 *     imported instead of encoded; implies the dense shards; null to encode
 */
public record DenseOptions(List<String> retrievers, String encoder, int encodeBatch,
    int encoderThreads, String denseIndex, String vectors) {
  /** BM25 only. */
  public static final DenseOptions NONE = new DenseOptions(List.of("bm25"), null, 0, 1, "exact");
  /** The encoder name the manifest records for imported embeddings. */
  public static final String IMPORTED = "imported";

  /** Dense options that encode with {@code encoder}. */
  public DenseOptions(List<String> retrievers, String encoder, int encodeBatch,
      int encoderThreads, String denseIndex) {
    this(retrievers, encoder, encodeBatch, encoderThreads, denseIndex, null);
  }

  public DenseOptions {
    retrievers = List.copyOf(retrievers);
    if (vectors != null) {
      if (encoder != null) {
        throw new IllegalArgumentException("--vectors and --encoder exclude each other: the "
            + "embeddings are either imported or encoded");
      }
      if (!retrievers.contains("e5")) {
        List<String> withDense = new java.util.ArrayList<>(retrievers);
        withDense.add("e5");
        retrievers = List.copyOf(withDense);
      }
    }
    for (String r : retrievers) {
      if (!r.equals("bm25") && !r.equals("e5")) {
        throw new IllegalArgumentException("--retrievers takes bm25 and e5, got " + r);
      }
    }
    if (!retrievers.contains("bm25")) {
      throw new IllegalArgumentException("--retrievers must include bm25 (its shards hold the "
          + "passages' text that every retriever returns), got " + String.join(",", retrievers));
    }
    Check.within("--encode-batch", encodeBatch, 0, 4096);
    Check.within("--encoder-threads", encoderThreads, 1, 256);
    if (!denseIndex.equals("exact") && !denseIndex.equals("hnsw")) {
      throw new IllegalArgumentException("--dense-index must be exact or hnsw, got "
          + denseIndex);
    }
    if (!retrievers.contains("e5") && (encoder != null || denseIndex.equals("hnsw"))) {
      throw new IllegalArgumentException("--encoder and --dense-index hnsw need --retrievers "
          + "bm25,e5");
    }
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean dense() {
    return retrievers.contains("e5");
  }

  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean hnsw() {
    return denseIndex.equals("hnsw");
  }
}
