package org.parallax.retrieval.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.ShardSearcher;
import org.parallax.retrieval.ShardWriter;

/**
 * The approximate dense search through each shard's HNSW graph against the exact search over the
 * same two shards: recall of the exact top 10, the exact inner products as scores, the order of
 * a merged list, and a graph that does not match its dense shard.
 */
class HnswSearchTest {
  private static final int DIM = 32;
  private static final int K = 10;
  @TempDir Path tmp;
  private final List<java.io.Closeable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (java.io.Closeable c : open) {
      c.close();
    }
  }

  @Test
  void hnswFindsTheExactTopTenWithExactScores() throws Exception {
    long seed = 20261202L;
    System.out.println("HnswSearchTest seed " + seed);
    Random r = new Random(seed);
    Map<String, float[]> all = new HashMap<>();
    List<DenseShard> dense = new ArrayList<>();
    List<HnswShard> graphs = new ArrayList<>();
    List<ShardSearcher> text = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      Path dir = tmp.resolve("dense-" + s);
      List<String[]> passages = new ArrayList<>();
      try (DenseShardWriter w = new DenseShardWriter(dir, DIM)) {
        for (int i = 0; i < 1500; i++) {
          String id = String.format("%07d", 2 * i + s);
          float[] v = unit(r);
          all.put(id, v);
          w.add(id, v);
          passages.add(new String[] {id, "text of " + id});
        }
      }
      Path lucene = tmp.resolve("bm25-" + s);
      ShardWriter.write(lucene, passages.iterator(), AnalyzerConfig.ANSERINI,
          Bm25Config.ANSERINI, 16);
      dense.add(keep(new DenseShard(dir, DIM)));
      HnswShard.write(dense.get(s), tmp.resolve("hnsw-" + s));
      graphs.add(keep(new HnswShard(tmp.resolve("hnsw-" + s))));
      assertEquals(1500, graphs.get(s).size());
      text.add(keep(new ShardSearcher(lucene, Bm25Config.ANSERINI)));
    }
    float[][] queries = new float[100][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = unit(r);
    }
    DenseIndex exact = new DenseIndex(null, dense, text, 1);
    DenseIndex hnsw = exact.approximate(graphs, HnswShard.DEFAULT_CANDIDATES);
    List<List<Hit>> truth = exact.searchVectors(queries, K);
    List<List<Hit>> got = hnsw.searchVectors(queries, K);
    for (int q = 0; q < queries.length; q++) {
      List<Hit> hits = got.get(q);
      assertEquals(K, hits.size(), "query " + q);
      List<Hit> sorted = new ArrayList<>(hits);
      sorted.sort(Hit.ORDER);
      assertEquals(sorted, hits, "query " + q + " in Hit.ORDER");
      for (Hit h : hits) {
        // The same arithmetic as the exact search: equal floats, not only within 1e-5.
        float inner = DenseMath.dot(queries[q], all.get(h.docId()), 0, DIM);
        assertEquals(inner, h.score(), 0f, "query " + q + " " + h.docId());
        assertEquals("text of " + h.docId(), h.contents());
      }
    }
    double recall = recall(truth, got);
    // Exploring only k candidates per shard finds fewer: the option is honoured.
    double narrow = recall(truth, exact.approximate(graphs, 1).searchVectors(queries, K));
    System.out.println("HnswSearchTest recall@10: " + recall + " with "
        + HnswShard.DEFAULT_CANDIDATES + " candidates, " + narrow + " with 10");
    assertTrue(recall >= 0.95, "recall@10 " + recall);
    assertTrue(narrow < recall, narrow + " vs " + recall);
  }

  private static double recall(List<List<Hit>> truth, List<List<Hit>> got) {
    long found = 0;
    long wanted = 0;
    for (int q = 0; q < truth.size(); q++) {
      Set<String> ids = new HashSet<>();
      truth.get(q).forEach(h -> ids.add(h.docId()));
      wanted += ids.size();
      found += got.get(q).stream().filter(h -> ids.contains(h.docId())).count();
    }
    return found / (double) wanted;
  }

  @Test
  void graphOfOtherRowsIsRefused() throws Exception {
    Random r = new Random(5);
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    try (DenseShardWriter wa = new DenseShardWriter(a, DIM);
        DenseShardWriter wb = new DenseShardWriter(b, DIM)) {
      for (int i = 0; i < 50; i++) {
        float[] v = unit(r);
        wa.add("a" + i, v);
        wb.add("b" + i, v);
      }
    }
    DenseShard rowsA = keep(new DenseShard(a, DIM));
    DenseShard rowsB = keep(new DenseShard(b, DIM));
    HnswShard.write(rowsA, tmp.resolve("hnsw-a"));
    HnswShard graph = keep(new HnswShard(tmp.resolve("hnsw-a")));
    assertEquals("a3", graph.search(rowsA.vector(3), 1, 10, rowsA).get(0).docId());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> graph.search(rowsA.vector(3), 1, 10, rowsB));
    assertTrue(e.getMessage().contains("hnsw-a") && e.getMessage().contains("--dense-index hnsw"),
        e.getMessage());
  }

  private <T extends java.io.Closeable> T keep(T c) {
    open.add(c);
    return c;
  }

  private static float[] unit(Random r) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) r.nextGaussian();
    }
    DenseMath.normalize(v);
    return v;
  }
}
