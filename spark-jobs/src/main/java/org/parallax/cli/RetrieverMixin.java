package org.parallax.cli;

import org.parallax.retrieval.RetrieverChoice;
import org.parallax.retrieval.dense.HnswShard;
import picocli.CommandLine.Option;

/**
 * The retriever options of every command that searches an index ({@code retrieval search},
 * {@code retrieval serve}, {@code rollout eval}), parsed once into a {@link RetrieverChoice}.
 */
public final class RetrieverMixin {
  @Option(names = "--retriever", defaultValue = "bm25", paramLabel = "R",
      description = "bm25 (exact global BM25), e5 (inner product over the dense shards; needs an "
          + "index built with --retrievers bm25,e5) or hybrid (reciprocal rank fusion of both) "
          + "(default: ${DEFAULT-VALUE}).")
  String retriever;

  @Option(names = "--rrf-k", defaultValue = "60", paramLabel = "C",
      description = "Reciprocal rank fusion constant of --retriever hybrid: a passage scores "
          + "sum 1/(C + rank) (default: ${DEFAULT-VALUE}, Cormack et al. 2009).")
  int rrfK;

  @Option(names = "--dense-search", defaultValue = "exact", paramLabel = "S",
      description = "How e5 and hybrid search the dense shards: exact (every embedding, equal "
          + "to brute force) or hnsw (each shard's HNSW graph, approximate; needs an index built "
          + "with --dense-index hnsw) (default: ${DEFAULT-VALUE}).")
  String denseSearch;

  @Option(names = "--hnsw-candidates", defaultValue = "" + HnswShard.DEFAULT_CANDIDATES,
      paramLabel = "N",
      description = "Candidates the HNSW search explores per shard and query (at least the "
          + "passages asked for); more finds more of the exact top k, at a cost about linear in "
          + "N (default: ${DEFAULT-VALUE}).")
  int hnswCandidates;

  RetrieverChoice toChoice() {
    return new RetrieverChoice(retriever, rrfK, denseSearch, hnswCandidates);
  }
}
