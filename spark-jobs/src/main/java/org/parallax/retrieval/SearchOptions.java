package org.parallax.retrieval;

import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;
import org.parallax.common.InputFormat;

/**
 * Options of {@code retrieval search}.
 *
 * @param common output, overwrite, seed, bad-row tolerance
 * @param index output directory of {@code retrieval index}
 * @param queries queries: JSONL or Parquet with an id, the query text and optionally
 *     {@code golden_answers} and {@code data_source} (Search-R1's QA format)
 * @param format queries format, or null to take it from the extension
 * @param k passages per query
 * @param queryField the column holding the query text
 * @param localDir executor-local scratch directory for shard copies, or null for Spark's
 * @param retriever bm25, e5 or hybrid (with its RRF constant)
 * @param queryVectors the queries' embeddings computed elsewhere ({@link VectorImport}), searched
 *     with {@code --retriever e5} instead of encoding the text; null to encode
 * @param contents whether {@code results/} carries the passages' contents (false:
 *     {@code --no-contents}, ids and scores only)
 */
public record SearchOptions(CommonOptions common, String index, String queries, String format,
    int k, String queryField, String localDir, RetrieverChoice retriever, String queryVectors,
    boolean contents) implements JobOptions {
  /** A search that encodes the queries' text when it needs embeddings, with contents. */
  public SearchOptions(CommonOptions common, String index, String queries, String format, int k,
      String queryField, String localDir, RetrieverChoice retriever) {
    this(common, index, queries, format, k, queryField, localDir, retriever, null, true);
  }

  /** A BM25 search. */
  public SearchOptions(CommonOptions common, String index, String queries, String format, int k,
      String queryField, String localDir) {
    this(common, index, queries, format, k, queryField, localDir, RetrieverChoice.BM25);
  }

  public SearchOptions {
    if (k < 1 || k > 10_000) {
      throw new IllegalArgumentException("--k must be in [1, 10000], got " + k);
    }
    InputFormat.checkOption(format);
    if (queryVectors != null && !retriever.name().equals("e5")) {
      throw new IllegalArgumentException("--query-vectors needs --retriever e5 (the embeddings "
          + "are searched by inner product), got --retriever " + retriever.name());
    }
  }
}
