package org.parallax.retrieval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.parallax.common.JobContext;
import org.parallax.common.LocalCopies;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.retrieval.dense.HnswShard;

/**
 * The dense entry of an index manifest, from the build tasks' reports: the encoder's identity
 * and each dense shard. With HNSW graphs it also measures their recall@10 against exact search on
 * a seeded sample of {@value #SAMPLE} passages used as queries (on the driver, over the staged
 * shards), searched as {@code --dense-search hnsw} does by default
 * ({@value HnswShard#DEFAULT_CANDIDATES} candidates per shard), since an approximate index is
 * only useful with its recall known.
 */
final class DenseManifest {
  static final int SAMPLE = 100;
  static final int RECALL_K = 10;

  private DenseManifest() {}

  /**
   * Where the embeddings came from: an encoder (its name, model URI or null for the bundled one,
   * fingerprint) or {@link DenseOptions#IMPORTED} (the file's URI, no fingerprint).
   */
  record Source(String name, String uri, String fingerprint, int dimension) {
    static Source of(EncoderAccess encoder) {
      return new Source(encoder.name(), encoder.uri(), encoder.fingerprint(),
          encoder.dimension());
    }
  }

  static IndexManifest.Dense of(JobContext ctx, Source encoder, DenseOptions options,
      List<ShardBuildReport> reports, String localDir) {
    List<IndexManifest.DenseShard> shards = reports.stream().map(ShardBuildReport::dense)
        .sorted(Comparator.comparingInt(IndexManifest.DenseShard::shard)).toList();
    Double recall = null;
    if (options.hnsw()) {
      recall = ctx.report().time("hnsw recall", () -> hnswRecall(ctx, shards,
          encoder.dimension(), localDir));
      ctx.report().metric("hnsw_recall@" + RECALL_K, recall);
    }
    ctx.report().count("dense_shards", shards.size())
        .count("embedding_dimension", encoder.dimension());
    return new IndexManifest.Dense(encoder.name(), encoder.uri(), encoder.fingerprint(),
        encoder.dimension(), options.hnsw(), recall, shards);
  }

  private static double hnswRecall(JobContext ctx, List<IndexManifest.DenseShard> shards,
      int dim, String localDir) {
    Configuration conf = ctx.spark().sparkContext().hadoopConfiguration();
    String root = localDir == null ? LocalCopies.defaultLocalRoot() : localDir;
    String staging = ctx.out().staging().toString();
    List<DenseShard> dense = new ArrayList<>();
    List<HnswShard> hnsw = new ArrayList<>();
    try {
      long total = 0;
      for (IndexManifest.DenseShard s : shards) {
        Path d = LocalCopies.localize(new org.apache.hadoop.fs.Path(staging, s.path()).toString(),
            s.checksum(), conf, root);
        Path h = LocalCopies.localize(new org.apache.hadoop.fs.Path(staging, s.hnswPath())
            .toString(), s.hnswChecksum(), conf, root);
        dense.add(new DenseShard(d, dim));
        hnsw.add(new HnswShard(h));
        total += s.docs();
      }
      if (total == 0) {
        return 1.0;
      }
      Random r = new Random(ctx.options().seed());
      int n = (int) Math.min(SAMPLE, total);
      float[][] queries = new float[n][];
      for (int q = 0; q < n; q++) {
        long row = (long) (r.nextDouble() * total);
        int s = 0;
        while (row >= dense.get(s).size()) {
          row -= dense.get(s).size();
          s++;
        }
        queries[q] = dense.get(s).vector((int) row);
      }
      List<List<List<Hit>>> exact = new ArrayList<>();
      for (DenseShard d : dense) {
        exact.add(d.search(queries, RECALL_K));
      }
      long found = 0;
      long wanted = 0;
      for (int q = 0; q < n; q++) {
        List<List<Hit>> e = new ArrayList<>();
        List<List<Hit>> a = new ArrayList<>();
        for (int s = 0; s < dense.size(); s++) {
          e.add(exact.get(s).get(q));
          a.add(hnsw.get(s).search(queries[q], RECALL_K, HnswShard.DEFAULT_CANDIDATES,
              dense.get(s)));
        }
        Set<String> truth = new HashSet<>();
        TopK.merge(e, RECALL_K).forEach(h -> truth.add(h.docId()));
        wanted += truth.size();
        found += TopK.merge(a, RECALL_K).stream().filter(h -> truth.contains(h.docId())).count();
      }
      return wanted == 0 ? 1.0 : found / (double) wanted;
    } finally {
      for (DenseShard d : dense) {
        closeQuietly(d);
      }
      for (HnswShard h : hnsw) {
        closeQuietly(h);
      }
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (java.io.IOException ignored) {
      // Read-only files of the staged output; nothing to flush.
    }
  }
}
