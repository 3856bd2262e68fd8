package org.parallax.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;

/**
 * Which ranking a search uses: {@code bm25} (exact global BM25), {@code e5} (exact inner product
 * over the dense shards) or {@code hybrid} (their reciprocal rank fusion with constant
 * {@code rrfK}). A plain class, not a record: it travels to executors inside Spark closures.
 */
public final class RetrieverChoice implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final RetrieverChoice BM25 = new RetrieverChoice("bm25",
      ReciprocalRankFusion.DEFAULT_K);
  private final String name;
  private final int rrfK;

  public RetrieverChoice(String name, int rrfK) {
    if (!name.equals("bm25") && !name.equals("e5") && !name.equals("hybrid")) {
      throw new IllegalArgumentException("--retriever must be bm25, e5 or hybrid, got " + name);
    }
    if (rrfK < 0 || rrfK > 100_000) {
      throw new IllegalArgumentException("--rrf-k must be in [0, 100000], got " + rrfK);
    }
    this.name = name;
    this.rrfK = rrfK;
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("rrf_k")
  public int rrfK() {
    return rrfK;
  }

  @JsonIgnore
  public boolean dense() {
    return !name.equals("bm25");
  }

  /** Fails, naming the index, when the retriever needs dense shards the index lacks. */
  public void checkIndex(String index, IndexManifest manifest) {
    if (dense() && manifest.dense() == null) {
      throw new org.parallax.common.JobFailedException("--retriever " + name + " needs dense "
          + "shards, but index " + index + " has none; rebuild it with `retrieval index "
          + "--retrievers bm25,e5`");
    }
  }

  @Override
  public String toString() {
    return name.equals("hybrid") ? "hybrid (rrf k " + rrfK + ")" : name;
  }
}
