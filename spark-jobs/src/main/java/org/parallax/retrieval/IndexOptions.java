package org.parallax.retrieval;

import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code retrieval index}.
 *
 * @param common output, overwrite, seed, bad-row tolerance
 * @param corpus passages: JSONL {@code id, contents} or Parquet {@code id, title, text}
 * @param format corpus format, or null to take it from the extension
 * @param shards number of index shards (one build task each)
 * @param ramBufferMb Lucene's indexing RAM buffer per shard
 * @param analyzer the analysis chain
 * @param bm25 BM25 parameters
 * @param localDir executor-local scratch directory, or null for Spark's
 * @param dense dense retrievers and encoding ({@link DenseOptions#NONE}: BM25 only)
 */
public record IndexOptions(CommonOptions common, String corpus, String format, int shards,
    double ramBufferMb, AnalyzerConfig analyzer, Bm25Config bm25, String localDir,
    DenseOptions dense) implements JobOptions {
  /** A BM25-only index. */
  public IndexOptions(CommonOptions common, String corpus, String format, int shards,
      double ramBufferMb, AnalyzerConfig analyzer, Bm25Config bm25, String localDir) {
    this(common, corpus, format, shards, ramBufferMb, analyzer, bm25, localDir,
        DenseOptions.NONE);
  }

  public IndexOptions {
    if (shards < 1 || shards > 100_000) {
      throw new IllegalArgumentException("--shards must be in [1, 100000], got " + shards);
    }
    InputFormat.checkOption(format);
    if (ramBufferMb < 1) {
      throw new IllegalArgumentException("--ram-buffer-mb must be at least 1, got " + ramBufferMb);
    }
  }
}
