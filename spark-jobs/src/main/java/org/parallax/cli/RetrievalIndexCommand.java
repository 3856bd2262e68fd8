package org.parallax.cli;

import org.parallax.common.Job;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retrieval index}: a passage corpus to N Lucene BM25 shards. */
@Command(name = "index", mixinStandardHelpOptions = true,
    description = "Build a sharded Lucene BM25 index of a Search-R1 / wiki-18 corpus.")
public final class RetrievalIndexCommand extends JobCommand<IndexOptions> {
  @Mixin CommonOptionsMixin common;
  @Mixin Bm25Mixin bm25;

  @Option(names = "--corpus", required = true, paramLabel = "PATH",
      description = "JSONL {\"id\", \"contents\"} or Parquet id, title, text.")
  String corpus;

  @Option(names = "--format", paramLabel = "FMT", description = "jsonl or parquet "
      + "(default: from the extension, else parquet).")
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

  @Override
  protected Job<IndexOptions> job() {
    return new IndexJob();
  }

  @Override
  protected IndexOptions options() {
    return new IndexOptions(common.toOptions(), corpus, format, shards, ramBufferMb,
        bm25.analyzer(), bm25.bm25(), localDir);
  }
}
