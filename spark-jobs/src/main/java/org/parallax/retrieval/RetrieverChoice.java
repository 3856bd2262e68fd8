package org.parallax.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import org.parallax.retrieval.dense.HnswShard;

/**
 * Which ranking a search uses: {@code bm25} (exact global BM25), {@code e5} (inner product over
 * the dense shards) or {@code hybrid} (their reciprocal rank fusion with constant {@code rrfK});
 * and how the dense side searches: {@code exact} (every embedding scanned) or {@code hnsw} (each
 * shard's Lucene HNSW graph, exploring {@code hnswCandidates} candidates per query, for an index
 * built with {@code --dense-index hnsw}). A plain class, not a record: it travels to executors
 * inside Spark closures.
 */
public final class RetrieverChoice implements Serializable {
  private static final long serialVersionUID = 2L;
  public static final RetrieverChoice BM25 = new RetrieverChoice("bm25",
      ReciprocalRankFusion.DEFAULT_K);
  private final String name;
  private final int rrfK;
  private final String denseSearch;
  private final int hnswCandidates;

  /** {@code name} with the exact dense search. */
  public RetrieverChoice(String name, int rrfK) {
    this(name, rrfK, "exact", HnswShard.DEFAULT_CANDIDATES);
  }

  public RetrieverChoice(String name, int rrfK, String denseSearch, int hnswCandidates) {
    if (!name.equals("bm25") && !name.equals("e5") && !name.equals("hybrid")) {
      throw new IllegalArgumentException("--retriever must be bm25, e5 or hybrid, got " + name);
    }
    if (rrfK < 0 || rrfK > 100_000) {
      throw new IllegalArgumentException("--rrf-k must be in [0, 100000], got " + rrfK);
    }
    if (!denseSearch.equals("exact") && !denseSearch.equals("hnsw")) {
      throw new IllegalArgumentException("--dense-search must be exact or hnsw, got "
          + denseSearch);
    }
    if (denseSearch.equals("hnsw") && name.equals("bm25")) {
      throw new IllegalArgumentException("--dense-search hnsw needs --retriever e5 or hybrid");
    }
    if (hnswCandidates < 1 || hnswCandidates > 10_000) {
      throw new IllegalArgumentException("--hnsw-candidates must be in [1, 10000], got "
          + hnswCandidates);
    }
    this.name = name;
    this.rrfK = rrfK;
    this.denseSearch = denseSearch;
    this.hnswCandidates = hnswCandidates;
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("rrf_k")
  public int rrfK() {
    return rrfK;
  }

  @JsonProperty("dense_search")
  public String denseSearch() {
    return denseSearch;
  }

  @JsonProperty("hnsw_candidates")
  public int hnswCandidates() {
    return hnswCandidates;
  }

  @JsonIgnore
  public boolean dense() {
    return !name.equals("bm25");
  }

  @JsonIgnore
  public boolean hnsw() {
    return denseSearch.equals("hnsw");
  }

  /**
   * Fails, naming the index, when the retriever needs dense shards the index lacks, or HNSW
   * graphs it was built without.
   */
  public void checkIndex(String index, IndexManifest manifest) {
    if (dense() && manifest.dense() == null) {
      throw new org.parallax.common.JobFailedException("--retriever " + name + " needs dense "
          + "shards, but index " + index + " has none; rebuild it with `retrieval index "
          + "--retrievers bm25,e5`");
    }
    if (hnsw() && !manifest.dense().hnsw()) {
      throw new org.parallax.common.JobFailedException("--dense-search hnsw needs HNSW graphs, "
          + "but index " + index + " was built without them; rebuild it with `retrieval index "
          + "--retrievers bm25,e5 --dense-index hnsw`, or search with --dense-search exact");
    }
  }

  @Override
  public String toString() {
    String dense = hnsw() ? ", hnsw, " + hnswCandidates + " candidates" : "";
    return name.equals("hybrid") ? "hybrid (rrf k " + rrfK + dense + ")"
        : name.equals("e5") && hnsw() ? "e5 (" + dense.substring(2) + ")" : name;
  }
}
