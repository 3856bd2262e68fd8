package org.parallax.cli;

import org.parallax.common.Job;
import org.parallax.retrieval.SearchJob;
import org.parallax.retrieval.SearchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retrieval search}: batch search of a sharded index (BM25, e5 or hybrid). */
@Command(name = "search", mixinStandardHelpOptions = true,
    description = "Batch search over a sharded index: BM25 with the scores of a single index, "
        + "e5 inner product (exact, or through HNSW graphs), or their hybrid.")
public final class RetrievalSearchCommand extends JobCommand<SearchOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--index", required = true, paramLabel = "DIR",
      description = "Output of `retrieval index`.")
  String index;

  @Option(names = "--queries", required = true, paramLabel = "PATH",
      description = "JSONL or Parquet: id, question[, golden_answers, data_source].")
  String queries;

  @Option(names = "--format", paramLabel = "FMT", description = "parquet, jsonl or csv "
      + "(default: from the extension or the folder's data files, else parquet).")
  String format;

  @Option(names = "--k", defaultValue = "10", paramLabel = "K",
      description = "Passages per query (default: ${DEFAULT-VALUE}).")
  int k;

  @Option(names = "--query-field", defaultValue = "question", paramLabel = "COL",
      description = "Column with the query text (default: ${DEFAULT-VALUE}).")
  String queryField;

  @Option(names = "--local-dir", paramLabel = "DIR",
      description = "Executor-local directory for shard copies (default: SPARK_LOCAL_DIRS or tmp).")
  String localDir;

  @Mixin RetrieverMixin retrievers;

  @Option(names = "--query-vectors", paramLabel = "PATH",
      description = "The queries' embeddings, computed elsewhere, for --retriever e5: a .npy "
          + "float32 matrix or FAISS flat index whose row i is the i-th query (the queries must "
          + "then be one file), or Parquet id, vector (array of floats) joined on the query id.")
  String queryVectors;

  @Option(names = "--no-contents", negatable = false,
      description = "Write ids and scores only (query_id, rank, doc_id, score[, has_answer]): "
          + "a BM25 search then reads no passage text for queries without golden_answers.")
  boolean noContents;

  @Override
  protected Job<SearchOptions> job() {
    return new SearchJob();
  }

  @Override
  protected SearchOptions options() {
    return new SearchOptions(common.toOptions(), index, queries, format, k, queryField, localDir,
        retrievers.toChoice(), queryVectors, !noContents);
  }
}
