package org.parallax.retrieval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.parallax.common.JobFailedException;
import org.parallax.common.JobReport;

/**
 * {@code manifest.json} of a sharded index: how it was built (Lucene version, analyzer, BM25) and
 * each shard's documents, bytes, checksum and collection statistics, so a search can compute the
 * corpus-wide statistics without touching the shards.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IndexManifest(String format, String luceneVersion, String corpus, int shards,
    long documents, long bytes, AnalyzerConfig analyzer, Bm25Config bm25, List<Shard> shardList,
    Dense dense) {
  public static final String FILE = "manifest.json";
  public static final String FORMAT = "parallax-bm25-shards/1";

  /** One shard of the index. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Shard(int shard, String path, long docs, long bytes, String checksum,
      long maxDoc, long docCount, long sumTotalTermFreq, long sumDocFreq, double buildSeconds) {}

  /**
   * The dense shards beside the BM25 shards (null when the index has none): the encoder that
   * built them (name, model directory or null for the bundled one, content fingerprint,
   * dimension) and each shard's files; {@code hnswRecallAt10} is the recall@10 of the HNSW
   * graphs against exact search on a sample of passages (null without HNSW).
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Dense(String encoder, String encoderUri, String fingerprint, int dimension,
      boolean hnsw, Double hnswRecallAt10, List<DenseShard> shardList) {}

  /**
   * One dense shard: {@code path} holds the float32 embeddings and ids (checksum
   * {@code checksum}), {@code hnswPath} the Lucene HNSW index when built.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record DenseShard(int shard, String path, long docs, long bytes, String checksum,
      String hnswPath, String hnswChecksum) {}

  /** The absolute location of shard {@code s} of the index at {@code index}. */
  public static String shardPath(String index, Shard s) {
    return new Path(index, s.path()).toString();
  }

  public static IndexManifest read(String index, Configuration conf) {
    Path p = new Path(index, FILE);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new JobFailedException("index " + index + " has no " + FILE
            + "; is it the output of `retrieval index`?");
      }
      try (InputStream in = fs.open(p)) {
        IndexManifest m = JobReport.json().readValue(in, IndexManifest.class);
        if (!FORMAT.equals(m.format())) {
          throw new JobFailedException("index " + index + ": unsupported format " + m.format()
              + ", expected " + FORMAT);
        }
        return m;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
