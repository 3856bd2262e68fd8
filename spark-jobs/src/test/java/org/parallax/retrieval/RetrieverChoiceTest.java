package org.parallax.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parallax.common.JobFailedException;

/** Which retriever an index can serve, checked from its manifest before any shard is opened. */
class RetrieverChoiceTest {
  private static final String INDEX = "hdfs://nn/indexes/wiki-exact";

  @Test
  void hnswSearchOfAnIndexWithoutGraphsNamesTheIndexAndTheFix() {
    RetrieverChoice hnsw = new RetrieverChoice("e5", 60, "hnsw", 100);
    JobFailedException e = assertThrows(JobFailedException.class,
        () -> hnsw.checkIndex(INDEX, manifest(false)));
    assertTrue(e.getMessage().contains(INDEX), e.getMessage());
    assertTrue(e.getMessage().contains("--dense-index hnsw"), e.getMessage());
    assertTrue(e.getMessage().contains("--dense-search exact"), e.getMessage());
    new RetrieverChoice("hybrid", 60, "hnsw", 100).checkIndex(INDEX, manifest(true));
    new RetrieverChoice("e5", 60).checkIndex(INDEX, manifest(false));
    JobFailedException none = assertThrows(JobFailedException.class,
        () -> hnsw.checkIndex(INDEX, manifest(null)));
    assertTrue(none.getMessage().contains("--retrievers bm25,e5"), none.getMessage());
  }

  @Test
  void optionsAreValidated() {
    assertEquals("--dense-search hnsw needs --retriever e5 or hybrid",
        assertThrows(IllegalArgumentException.class,
            () -> new RetrieverChoice("bm25", 60, "hnsw", 100)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new RetrieverChoice("e5", 60, "ivf", 100)).getMessage().contains("exact or hnsw"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new RetrieverChoice("e5", 60, "hnsw", 0)).getMessage()
        .contains("--hnsw-candidates"));
    assertEquals("e5 (hnsw, 100 candidates)",
        new RetrieverChoice("e5", 60, "hnsw", 100).toString());
    assertEquals("hybrid (rrf k 60, hnsw, 200 candidates)",
        new RetrieverChoice("hybrid", 60, "hnsw", 200).toString());
    assertEquals("e5", new RetrieverChoice("e5", 60).toString());
  }

  /** A two-shard index with dense shards (with or without HNSW graphs), or none (null). */
  private static IndexManifest manifest(Boolean hnsw) {
    IndexManifest.Dense dense = hnsw == null ? null : new IndexManifest.Dense("e5-small-v2-q",
        null, "crc", 384, hnsw, hnsw ? 0.99 : null, List.of(
            new IndexManifest.DenseShard(0, "dense/shard-00000", 10, 15360, "c0",
                hnsw ? "hnsw/shard-00000" : null, hnsw ? "h0" : null),
            new IndexManifest.DenseShard(1, "dense/shard-00001", 10, 15360, "c1",
                hnsw ? "hnsw/shard-00001" : null, hnsw ? "h1" : null)));
    return new IndexManifest(IndexManifest.FORMAT, "9.12.3", "corpus", 2, 20, 1000,
        AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, List.of(), dense);
  }
}
