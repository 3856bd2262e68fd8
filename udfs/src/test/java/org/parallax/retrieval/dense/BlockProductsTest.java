package org.parallax.retrieval.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parallax.retrieval.Hit;

/**
 * The matrix-product search against {@link DenseMath#dot} row by row: every score bit-identical,
 * for dimensions that are and are not multiples of four, blocks that are full and partial, and
 * batches of queries below, at and above the group size (the row-by-row path, the grouped
 * kernel, and its single-query remainder); and the shard's top k equal to a sort of all rows by
 * {@link Hit#ORDER}, with many exact ties whose ids are not in row order.
 */
class BlockProductsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @CsvSource({"1, 1", "3, 5", "4, 256", "7, 100", "24, 256", "385, 37"})
  void scoresAreTheBitsOfDot(int dim, int rows) {
    Random r = new Random(31L * dim + rows);
    float[] block = new float[rows * dim];
    for (int i = 0; i < block.length; i++) {
      block[i] = (float) r.nextGaussian();
    }
    float[][] queries = new float[BlockProducts.GROUP + 1][dim];
    for (float[] q : queries) {
      for (int i = 0; i < dim; i++) {
        q[i] = (float) r.nextGaussian();
      }
    }
    BlockProducts products = new BlockProducts(dim, 256);
    products.load(block, rows);
    float[][] grouped = new float[BlockProducts.GROUP][256];
    products.group(queries, 0, grouped);
    float[] single = new float[256];
    products.single(queries[BlockProducts.GROUP], single);
    for (int row = 0; row < rows; row++) {
      for (int g = 0; g < BlockProducts.GROUP; g++) {
        assertEquals(Float.floatToRawIntBits(DenseMath.dot(queries[g], block, row * dim, dim)),
            Float.floatToRawIntBits(grouped[g][row]), "query " + g + ", row " + row);
      }
      assertEquals(Float.floatToRawIntBits(
          DenseMath.dot(queries[BlockProducts.GROUP], block, row * dim, dim)),
          Float.floatToRawIntBits(single[row]), "single query, row " + row);
    }
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "3, 10", "4, 10", "5, 7", "9, 30", "6, 2000"})
  void shardTopKEqualsASortOfAllRows(int queryCount, int k) throws Exception {
    int dim = 13;
    Random r = new Random(1000L * queryCount + k);
    int n = 2 * DenseShard.BLOCK + 57;
    List<float[]> vectors = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    Path dir = tmp.resolve("shard");
    try (DenseShardWriter w = new DenseShardWriter(dir, dim)) {
      for (int i = 0; i < n; i++) {
        // a third are copies of one of five vectors: ties, under ids in descending row order
        float[] v = i % 3 == 0 ? unit(new Random(i % 5), dim) : unit(r, dim);
        String id = String.format("%05d", n - i);
        vectors.add(v);
        ids.add(id);
        w.add(id, v);
      }
    }
    float[][] queries = new float[queryCount][];
    for (int q = 0; q < queryCount; q++) {
      queries[q] = q % 2 == 0 ? unit(new Random(q % 5), dim) : unit(r, dim);
    }
    try (DenseShard shard = new DenseShard(dir, dim)) {
      List<List<Hit>> got = shard.search(queries, k);
      for (int q = 0; q < queryCount; q++) {
        List<Hit> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          all.add(new Hit(ids.get(i), DenseMath.dot(queries[q], vectors.get(i), 0, dim), null));
        }
        all.sort(Comparator.comparing(Hit::score, Comparator.reverseOrder())
            .thenComparing(Hit::docId));
        assertEquals(all.subList(0, Math.min(k, n)), got.get(q), "query " + q);
      }
    }
  }

  private static float[] unit(Random r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    DenseMath.normalize(v);
    return v;
  }
}
