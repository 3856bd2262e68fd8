package org.parallax.recsys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * LightGCN in DJL: the propagation equals the paper's formula computed here with plain loops,
 * training lowers the BPR loss and ranks a planted structure far above chance, a seed fixes the
 * run, and the blocked ranking equals a brute-force one.
 */
class LightGcnTest {
  /** 3 users, 5 items (item 4 in no pair), pairs given out of order. */
  private static final int[][] PAIRS = {{2, 3}, {0, 0}, {1, 1}, {0, 1}, {1, 2}, {2, 1},
      {1, 0}};

  @ParameterizedTest(name = "{0} layers")
  @ValueSource(ints = {0, 1, 2, 3, 4})
  void propagationEqualsThePlainFormula(int layers) {
    int users = 3;
    int items = 5;
    int dim = 4;
    int n = users + items;
    double[][] e0 = new double[n][dim];
    SplittableRandom r = new SplittableRandom(7);
    for (double[] row : e0) {
      for (int d = 0; d < dim; d++) {
        row[d] = (float) r.nextDouble(-1, 1);
      }
    }
    // A: the adjacency of users and items, each side normalised by sqrt of degrees.
    double[][] a = new double[n][n];
    int[] degree = new int[n];
    for (int[] p : PAIRS) {
      degree[p[0]]++;
      degree[users + p[1]]++;
    }
    for (int[] p : PAIRS) {
      double w = 1 / Math.sqrt(degree[p[0]] * (double) degree[users + p[1]]);
      a[p[0]][users + p[1]] = w;
      a[users + p[1]][p[0]] = w;
    }
    double[][] layer = e0;
    double[][] sum = copy(e0);
    for (int k = 0; k < layers; k++) {
      double[][] next = new double[n][dim];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          for (int d = 0; d < dim; d++) {
            next[i][d] += a[i][j] * layer[j][d];
          }
        }
      }
      layer = next;
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < dim; d++) {
          sum[i][d] += layer[i][d];
        }
      }
    }
    LightGcnGraph graph = graph(users, items, PAIRS);
    float[] flat = new float[n * dim];
    for (int i = 0; i < n; i++) {
      for (int d = 0; d < dim; d++) {
        flat[i * dim + d] = (float) e0[i][d];
      }
    }
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray got = LightGcnGraph.propagate(graph.adjacency(m),
          m.create(flat, new Shape(n, dim)), layers);
      float[] values = got.toFloatArray();
      for (int i = 0; i < n; i++) {
        for (int d = 0; d < dim; d++) {
          assertEquals(sum[i][d] / (layers + 1), values[i * dim + d], 1e-6,
              "node " + i + " dim " + d);
        }
      }
    }
    assertEquals(7, graph.pairs());
    assertEquals(List.of(0, 1, 1, 2), List.of(graph.pairItem(2), graph.pairItem(3),
        graph.pairUser(3), graph.pairUser(5)));
  }

  @Test
  void rejectsDuplicateAndOutOfRangePairs() {
    assertThrows(IllegalArgumentException.class,
        () -> graph(2, 2, new int[][] {{0, 1}, {1, 0}, {0, 1}}));
    assertThrows(IllegalArgumentException.class, () -> graph(2, 2, new int[][] {{0, 2}}));
  }

  /**
   * Users of group g (user % 2) take 6 of the 20 items of their group (item % 2 == g); 2 more of
   * them are held out. Ranked over the items a user has not taken, the held-out items come far
   * above the chance rate (14 of the 34 untaken items are of the group; chance recall@10 is
   * 10/34).
   */
  @Test
  void trainsBprAndRanksAPlantedStructureAboveChance() {
    int users = 60;
    int items = 40;
    SplittableRandom r = new SplittableRandom(3);
    List<int[]> train = new ArrayList<>();
    int[][] heldOut = new int[users][];
    for (int u = 0; u < users; u++) {
      int[] group = new int[20];
      for (int i = 0; i < 20; i++) {
        group[i] = 2 * i + u % 2;
      }
      for (int i = 19; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = group[i];
        group[i] = group[j];
        group[j] = t;
      }
      for (int i = 0; i < 6; i++) {
        train.add(new int[] {u, group[i]});
      }
      heldOut[u] = new int[] {group[6], group[7]};
    }
    LightGcnGraph graph = graph(users, items, train.toArray(int[][]::new));
    LightGcnConfig config = new LightGcnConfig(3, 16, 40, 0.05, 1e-4, 64);
    double first;
    double last = Double.NaN;
    float[] e;
    try (LightGcnTrainer t = new LightGcnTrainer(graph, config, 11)) {
      first = t.epoch();
      assertEquals(graph.pairs(), t.triples());
      for (int epoch = 2; epoch <= config.epochs(); epoch++) {
        last = t.epoch();
      }
      e = t.embeddings();
    }
    assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
    double recall = 0;
    try (LightGcnRanking ranking = new LightGcnRanking(Arrays.copyOfRange(e, users * 16,
        e.length), items, 16)) {
      LightGcnRanking.Ranked[] ranked = ranking.rank(Arrays.copyOf(e, users * 16), users,
          10 + 6, 7);
      for (int u = 0; u < users; u++) {
        Set<Integer> top = new HashSet<>();
        for (int item : ranked[u].items()) {
          if (top.size() < 10 && !graph.has(u, item)) {
            top.add(item);
          }
        }
        recall += (top.contains(heldOut[u][0]) ? 0.5 : 0) + (top.contains(heldOut[u][1]) ? 0.5
            : 0);
      }
    }
    recall /= users;
    assertTrue(recall > 0.55, "recall@10 " + recall + ", chance " + 10 / 34.0);
  }

  @Test
  void aSeedFixesTheRunAndAnotherChangesIt() {
    LightGcnGraph graph = graph(3, 5, PAIRS);
    LightGcnConfig config = new LightGcnConfig(2, 8, 3, 0.01, 1e-4, 4);
    assertArrayEquals(train(graph, config, 5), train(graph, config, 5));
    assertFalse(Arrays.equals(train(graph, config, 5), train(graph, config, 6)));
  }

  @Test
  void aUserWithEveryItemHasNoNegative() {
    LightGcnGraph graph = graph(2, 2, new int[][] {{0, 0}, {0, 1}, {1, 1}});
    try (LightGcnTrainer t = new LightGcnTrainer(graph, new LightGcnConfig(1, 4, 1, 0.01, 0,
        8), 1)) {
      t.epoch();
      assertEquals(1, t.triples(), "only user 1's pair has a negative (item 0)");
    }
    try (LightGcnTrainer t = new LightGcnTrainer(graph(1, 2, new int[][] {{0, 0}, {0, 1}}),
        new LightGcnConfig(1, 4, 1, 0.01, 0, 8), 1)) {
      assertTrue(Double.isNaN(t.epoch()));
      assertEquals(0, t.triples());
    }
  }

  /** Blocked top-k equals sorting every item's inner product, for any block size and k. */
  @ParameterizedTest(name = "block {0}")
  @ValueSource(ints = {1, 3, 7, 23, 1000})
  void blockedRankingEqualsBruteForce(int block) {
    int items = 23;
    int dim = 5;
    int users = 9;
    SplittableRandom r = new SplittableRandom(block);
    float[] table = new float[items * dim];
    float[] queries = new float[users * dim];
    for (int i = 0; i < table.length; i++) {
      // Coarse values, so that ties occur.
      table[i] = r.nextInt(-2, 3);
    }
    for (int i = 0; i < queries.length; i++) {
      queries[i] = r.nextInt(-2, 3) / 2f;
    }
    try (LightGcnRanking ranking = new LightGcnRanking(table, items, dim)) {
      for (int k : new int[] {1, 5, 23, 40}) {
        LightGcnRanking.Ranked[] got = ranking.rank(queries, users, k, block);
        for (int u = 0; u < users; u++) {
          float[] score = new float[items];
          Integer[] order = new Integer[items];
          for (int i = 0; i < items; i++) {
            order[i] = i;
            for (int d = 0; d < dim; d++) {
              score[i] += queries[u * dim + d] * table[i * dim + d];
            }
          }
          Arrays.sort(order, (a, b) -> score[a] == score[b] ? Integer.compare(a, b)
              : Float.compare(score[b], score[a]));
          int want = Math.min(k, items);
          assertEquals(want, got[u].items().length);
          for (int i = 0; i < want; i++) {
            assertEquals(score[order[i]], got[u].scores()[i], 1e-5, "user " + u + " rank " + i);
            // Items tied with the first one left out may be any of that tie.
            if (want == items || score[order[i]] != score[order[want]]) {
              assertEquals(order[i], got[u].items()[i], "user " + u + " rank " + i + " k " + k);
            }
          }
        }
      }
    }
  }

  private static float[] train(LightGcnGraph graph, LightGcnConfig config, long seed) {
    try (LightGcnTrainer t = new LightGcnTrainer(graph, config, seed)) {
      for (int e = 0; e < config.epochs(); e++) {
        t.epoch();
      }
      return t.embeddings();
    }
  }

  private static LightGcnGraph graph(int users, int items, int[][] pairs) {
    int[] u = new int[pairs.length];
    int[] i = new int[pairs.length];
    for (int p = 0; p < pairs.length; p++) {
      u[p] = pairs[p][0];
      i[p] = pairs[p][1];
    }
    return new LightGcnGraph(users, items, u, i);
  }

  private static double[][] copy(double[][] a) {
    double[][] out = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i].clone();
    }
    return out;
  }
}
