package org.parallax.retrieval.dense;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.parallax.retrieval.Hit;

/**
 * The matrix-product kernels against one fused multiply-add chain per score written out here:
 * both kernels (plain loops and the Vector API) bit-identical to it and to {@link DenseMath#dot}
 * on random shapes (dimensions and row counts that are and are not multiples of the vector
 * width, the pass width and the padding, 1 to {@value BlockProducts#GROUP} queries from any
 * offset, duplicate rows and queries, a partial block loaded after a full one); and the shard's
 * top k equal to a sort of all rows by {@link Hit#ORDER}, with many exact ties whose ids are not
 * in row order.
 */
class BlockProductsTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void kernelsGiveTheBitsOfOneFmaChain(int seed) {
    Random r = new Random(seed);
    int capacity = BlockProducts.PAD * (1 + r.nextInt(4));
    int dim = seed % 5 == 0 ? 384 : 1 + r.nextInt(70);
    int total = 1 + r.nextInt(2 * BlockProducts.GROUP + 3);
    float[][] queries = rows(r, total, dim);
    List<BlockProducts> kernels = List.of(new PlainProducts(dim, capacity),
        new VectorProducts(dim, capacity));
    for (int count : new int[] {capacity, 1 + r.nextInt(capacity)}) {
      float[] block = new float[capacity * dim];
      float[][] vectors = rows(r, count, dim);
      for (int row = 0; row < count; row++) {
        System.arraycopy(vectors[row], 0, block, row * dim, dim);
      }
      for (BlockProducts kernel : kernels) {
        kernel.load(block, count);
        for (int from = 0, call = 0; from < total; from += 1 + r.nextInt(4), call++) {
          // every other call a full group (the register-blocked path), else 1..GROUP queries
          int n = Math.min(total - from,
              call % 2 == 0 ? BlockProducts.GROUP : 1 + r.nextInt(BlockProducts.GROUP));
          float[][] out = new float[BlockProducts.GROUP][capacity];
          kernel.group(queries, from, n, out);
          for (int g = 0; g < n; g++) {
            for (int row = 0; row < count; row++) {
              float want = fmaChain(queries[from + g], vectors[row]);
              String at = kernel.getClass().getSimpleName() + " seed " + seed + ", dim " + dim
                  + ", rows " + count + ", query " + (from + g) + ", row " + row;
              assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[g][row]), at);
              assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(
                  DenseMath.dot(queries[from + g], block, row * dim, dim)), "dot, " + at);
            }
          }
        }
      }
    }
  }

  @Test
  void theVectorKernelIsPickedWhereTheModuleAndC2Are() {
    assertTrue(BlockProducts.create(8, 64) instanceof VectorProducts,
        "this test JVM runs C2 with --add-modules=jdk.incubator.vector (udfs/pom.xml)");
  }

  /** Gaussian rows, a third of them copies of one of three vectors (exact ties). */
  private static float[][] rows(Random r, int n, int dim) {
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = new float[dim];
      Random source = i % 3 == 0 ? new Random(i % 9) : r;
      for (int d = 0; d < dim; d++) {
        out[i][d] = (float) source.nextGaussian();
      }
    }
    return out;
  }

  private static float fmaChain(float[] q, float[] v) {
    float s = 0;
    for (int i = 0; i < q.length; i++) {
      s = Math.fma(q[i], v[i], s);
    }
    return s;
  }

  @ParameterizedTest
  @CsvSource({"1, 1", "3, 10", "4, 10", "5, 7", "8, 10", "9, 30", "17, 3", "6, 2000"})
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
