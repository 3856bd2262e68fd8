package org.parallax.cli;

import java.util.List;
import org.parallax.common.Job;
import org.parallax.retrieval.DenseOptions;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retrieval index}: a passage corpus to N Lucene BM25 shards. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "Build a sharded Lucene BM25 index of a Search-R1 / wiki-18 corpus, and "
        + "optionally e5 dense shards beside it.")
public final class RetrievalIndexCommand extends JobCommand<IndexOptions> {
  @Mixin CommonOptionsMixin common;
  @Mixin Bm25Mixin bm25;

  @Option(names = "--corpus", required = true, paramLabel = "PATH",
      description = "JSONL {\"id\", \"contents\"} or Parquet id, title, text.")
  String corpus;

  @Option(names = "--format", paramLabel = "FMT", description = "parquet, jsonl or csv "
      + "(default: from the extension or the folder's data files, else parquet).")
  String format;

  @Option(names = "--shards", defaultValue = "8", paramLabel = "N",
      description = "Index shards, one build task each (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--ram-buffer-mb", defaultValue = "256", paramLabel = "MB",
      description = "Lucene RAM buffer per shard (default: ${DEFAULT-VALUE}).")
  double ramBufferMb;

  @Option(names = "--local-dir", paramLabel = "DIR",
      description = "Executor-local scratch directory (default: SPARK_LOCAL_DIRS or tmp).")
  String localDir;

  @Option(names = "--retrievers", defaultValue = "bm25", split = ",", paramLabel = "R[,R]",
      description = "Shards to build: bm25, and e5 for a dense shard beside each BM25 shard "
          + "(passage embeddings, encoded on the executors) (default: ${DEFAULT-VALUE}).")
  List<String> retrievers;

  @Option(names = "--encoder", paramLabel = "DIR",
      description = "An e5-style model directory (any Hadoop URI): tokenizer.json and one "
          + "model, *.onnx or TorchScript *.pt, whose output 0 is the last hidden state "
          + "(default: the bundled e5-small-v2-q).")
  String encoder;

  @Option(names = "--encode-batch", defaultValue = "0", paramLabel = "N",
      description = "Passages per model call, sorted by length (default: ${DEFAULT-VALUE}, "
          + "which means 1 on a CPU and 32 on a GPU).")
  int encodeBatch;

  @Option(names = "--encoder-threads", defaultValue = "1", paramLabel = "N",
      description = "ONNX Runtime threads per task; Spark's tasks use the other cores "
          + "(default: ${DEFAULT-VALUE}).")
  int encoderThreads;

  @Option(names = "--dense-index", defaultValue = "exact", paramLabel = "KIND",
      description = "exact (float32 shards, exact inner product) or hnsw (also Lucene HNSW "
          + "graphs; their recall@10 against exact is measured on a sample and reported) "
          + "(default: ${DEFAULT-VALUE}).")
  String denseIndex;

  @Option(names = "--vectors", paramLabel = "PATH",
      description = "Import the passages' embeddings instead of encoding them (implies the e5 "
          + "dense shards): a .npy float32 matrix or a FAISS flat index file (faiss.write_index) "
          + "whose row i is the corpus's i-th passage (the corpus must then be one file), or "
          + "Parquet id, vector (array of floats). Searched with --query-vectors.")
  String vectors;

  @Override
  protected Job<IndexOptions> job() {
    return new IndexJob();
  }

  @Override
  protected IndexOptions options() {
    return new IndexOptions(common.toOptions(), corpus, format, shards, ramBufferMb,
        bm25.analyzer(), bm25.bm25(), localDir, new DenseOptions(retrievers, encoder,
            encodeBatch, encoderThreads, denseIndex, vectors));
  }
}
