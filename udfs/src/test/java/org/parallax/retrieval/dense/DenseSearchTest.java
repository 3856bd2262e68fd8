package org.parallax.retrieval.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.ShardSearcher;
import org.parallax.retrieval.ShardWriter;

class DenseSearchTest {
  private static final int DIM = 24;
  @TempDir Path tmp;

  /**
   * Random unit vectors (every 7th a copy of an earlier one, so exact score ties occur) in 1, 2
   * and 5 shards; the blocked per-shard search and merge must equal a brute-force scan over all
   * embeddings: the same ids, the same order, the same float scores, and the contents.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 5})
  void exactSearchEqualsBruteForce(int shardCount) throws Exception {
    long seed = 20261202L + shardCount;
    System.out.println("DenseSearchTest seed " + seed);
    Random r = new Random(seed);
    int n = 3 * DenseShard.BLOCK + 37;
    TreeMap<String, float[]> all = new TreeMap<>();
    List<float[]> made = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = i % 7 == 6 ? made.get(r.nextInt(made.size())).clone() : random(r);
      made.add(v);
      all.put(String.format("%06d", r.nextInt(1_000_000)) + "-" + i, v);
    }
    List<DenseShard> dense = new ArrayList<>();
    List<ShardSearcher> text = new ArrayList<>();
    for (int s = 0; s < shardCount; s++) {
      Path dir = tmp.resolve("dense-" + s);
      List<String[]> passages = new ArrayList<>();
      try (DenseShardWriter w = new DenseShardWriter(dir, DIM)) {
        for (var e : all.entrySet()) {
          if (Math.floorMod(e.getKey().hashCode(), shardCount) == s) {
            w.add(e.getKey(), e.getValue());
            passages.add(new String[] {e.getKey(), "text of " + e.getKey()});
          }
        }
      }
      Path lucene = tmp.resolve("bm25-" + s);
      ShardWriter.write(lucene, passages.iterator(), AnalyzerConfig.ANSERINI,
          Bm25Config.ANSERINI, 16);
      dense.add(new DenseShard(dir, DIM));
      text.add(new ShardSearcher(lucene, Bm25Config.ANSERINI));
    }
    float[][] queries = new float[40][];
    for (int q = 0; q < queries.length; q++) {
      queries[q] = q % 5 == 0 ? made.get(r.nextInt(made.size())).clone() : random(r);
    }
    DenseIndex index = new DenseIndex(null, dense, text, 8);
    assertEquals(n, index.numDocs());
    for (int k : new int[] {1, 10, 100}) {
      List<List<Hit>> got = index.searchVectors(queries, k);
      for (int q = 0; q < queries.length; q++) {
        assertEquals(bruteForce(all, queries[q], k), got.get(q), "query " + q + ", k " + k);
      }
    }
    for (DenseShard d : dense) {
      d.close();
    }
    for (ShardSearcher t : text) {
      t.close();
    }
  }

  @Test
  void vectorsAndIdsRoundTrip() throws Exception {
    Path dir = tmp.resolve("rt");
    Random r = new Random(7);
    float[] a = random(r);
    float[] b = random(r);
    try (DenseShardWriter w = new DenseShardWriter(dir, DIM)) {
      w.add("007", a);
      w.add("ü-\n-id", b);
    }
    try (DenseShard s = new DenseShard(dir, DIM)) {
      assertEquals(2, s.size());
      assertEquals("007", s.id(0));
      assertEquals("ü-\n-id", s.id(1));
      org.junit.jupiter.api.Assertions.assertArrayEquals(b, s.vector(1));
    }
  }

  private static List<Hit> bruteForce(TreeMap<String, float[]> all, float[] q, int k) {
    List<Hit> hits = new ArrayList<>();
    for (var e : all.entrySet()) {
      hits.add(new Hit(e.getKey(), DenseMath.dot(q, e.getValue(), 0, DIM),
          "text of " + e.getKey()));
    }
    hits.sort(Comparator.comparing(Hit::score, Comparator.reverseOrder())
        .thenComparing(Hit::docId));
    return hits.subList(0, Math.min(k, hits.size()));
  }

  private static float[] random(Random r) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) {
      v[i] = (float) r.nextGaussian();
    }
    DenseMath.normalize(v);
    return v;
  }
}
