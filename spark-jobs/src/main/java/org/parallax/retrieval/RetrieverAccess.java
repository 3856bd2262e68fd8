package org.parallax.retrieval;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;

/**
 * A {@code retrieval index} output resolved once on the driver (its manifest read, the retriever
 * checked against it) for code outside this package that searches it on executors: the same
 * shard access as {@code retrieval search} ({@link ShardAccess}), so shards, dense shards and the
 * encoder are copied, verified and opened once per executor JVM and content. Serializable; the
 * {@link Retriever} it opens is thread-safe and stays owned by the per-JVM caches (do not close
 * it).
 */
public final class RetrieverAccess implements Serializable {
  private static final long serialVersionUID = 1L;
  private final ShardAccess shards;
  private final AnalyzerConfig analyzer;
  private final RetrieverChoice choice;

  private RetrieverAccess(ShardAccess shards, AnalyzerConfig analyzer, RetrieverChoice choice) {
    this.shards = shards;
    this.analyzer = analyzer;
    this.choice = choice;
  }

  /**
   * Reads the manifest of the index at {@code index} and checks that it has what {@code choice}
   * needs; fails with {@code retrieval search}'s one-line messages otherwise.
   */
  public static RetrieverAccess resolve(String index, Configuration conf, String localDir,
      RetrieverChoice choice) {
    IndexManifest manifest = IndexManifest.read(index, conf);
    choice.checkIndex(index, manifest);
    return new RetrieverAccess(new ShardAccess(index, manifest, new SerializableConfiguration(
        conf), localDir), manifest.analyzer(), choice);
  }

  /** The retriever over every shard, opened on first use in this JVM (cached thereafter). */
  public Retriever open() {
    return shards.open(analyzer, choice);
  }

  public RetrieverChoice choice() {
    return choice;
  }
}
