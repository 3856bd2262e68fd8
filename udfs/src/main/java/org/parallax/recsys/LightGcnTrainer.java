package org.parallax.recsys;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains LightGCN (He et al. 2020) on a {@link LightGcnGraph} with DJL (PyTorch engine; the GPU
 * when DJL sees one): layer-0 embeddings of every user and item, normal with standard deviation
 * 0.1; each epoch visits every distinct (user, item) pair once in a seeded order, draws for it
 * one negative item uniformly among the items the user has no pair with (a user with every item
 * has no negative and adds no triple), and minimises, batch by batch, the BPR loss {@code
 * mean(softplus(-(<e_u, e_i> - <e_u, e_j>)))} over the propagated embeddings plus {@code l2 / 2}
 * times the squared norms of the triple's layer-0 embeddings, averaged per triple, with Adam. The
 * initial embeddings and every draw come from {@code seed}, so a seed fixes the run. Not
 * thread-safe; close it to release its arrays.
 */
public final class LightGcnTrainer implements AutoCloseable {
  /** Standard deviation of the initial embeddings (the paper's implementation). */
  static final double INIT_STD = 0.1;
  private static final String PARAMETER = "layer0";
  private final LightGcnGraph graph;
  private final LightGcnConfig config;
  private final NDManager manager;
  private final NDArray adjacency;
  private final NDArray layer0;
  private final Optimizer adam;
  private final SplittableRandom negatives;
  private final Device device;
  private long triples;

  public LightGcnTrainer(LightGcnGraph graph, LightGcnConfig config, long seed) {
    this.graph = graph;
    this.config = config;
    this.device = ContextGnnModel.device();
    this.manager = NDManager.newBaseManager(device, "PyTorch");
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom init = root.split();
    this.negatives = root.split();
    float[] values = new float[graph.nodes() * config.dim()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (init.nextGaussian() * INIT_STD);
    }
    this.layer0 = manager.create(values, new Shape(graph.nodes(), config.dim()));
    layer0.setRequiresGradient(true);
    this.adjacency = graph.adjacency(manager);
    this.adam = Optimizer.adam()
        .optLearningRateTracker(Tracker.fixed((float) config.learningRate())).build();
  }

  public Device device() {
    return device;
  }

  /** Triples the last epoch trained on (pairs whose user has a negative). */
  public long triples() {
    return triples;
  }

  /** One epoch; returns the mean batch loss, NaN when no pair has a negative. */
  public double epoch() {
    int[] order = shuffledPairs();
    long[] user = new long[order.length];
    long[] item = new long[order.length];
    long[] negative = new long[order.length];
    int n = 0;
    for (int p : order) {
      int u = graph.pairUser(p);
      int j = negative(u);
      if (j >= 0) {
        user[n] = u;
        item[n] = graph.users() + (long) graph.pairItem(p);
        negative[n] = graph.users() + (long) j;
        n++;
      }
    }
    triples = n;
    double sum = 0;
    int batches = 0;
    for (int from = 0; from < n; from += config.batchSize()) {
      int to = Math.min(n, from + config.batchSize());
      sum += step(Arrays.copyOfRange(user, from, to), Arrays.copyOfRange(item, from, to),
          Arrays.copyOfRange(negative, from, to));
      batches++;
    }
    return batches == 0 ? Double.NaN : sum / batches;
  }

  /** One Adam step on the triples (node indices); returns their loss. */
  private double step(long[] user, long[] item, long[] negative) {
    double value;
    try (NDScope scope = new NDScope(); NDManager m = manager.newSubManager()) {
      scope.suppressNotUsedWarning();
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray u = m.create(user).toDevice(device, false);
        NDArray i = m.create(item).toDevice(device, false);
        NDArray j = m.create(negative).toDevice(device, false);
        NDArray e = LightGcnGraph.propagate(adjacency, layer0, config.layers());
        NDArray eu = rows(e, u);
        NDArray x = eu.mul(rows(e, i).sub(rows(e, j))).sum(new int[] {1});
        NDArray bpr = Activation.softPlus(x.neg()).mean();
        NDArray norms = rows(layer0, u).square().sum().add(rows(layer0, i).square().sum())
            .add(rows(layer0, j).square().sum());
        NDArray loss = bpr.add(norms.mul((float) (config.l2() / 2 / user.length)));
        gc.backward(loss);
        value = loss.getFloat();
      }
    }
    try (NDArray g = layer0.getGradient()) {
      adam.update(PARAMETER, layer0, g);
      g.subi(g);
    }
    return value;
  }

  /** The final embeddings ({@code nodes x dim}, row-major: users, then items). */
  public float[] embeddings() {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      return LightGcnGraph.propagate(adjacency, layer0, config.layers()).toFloatArray();
    }
  }

  private static NDArray rows(NDArray table, NDArray index) {
    return table.get(new NDIndex("{}", index));
  }

  /** The pairs in this epoch's order (Fisher-Yates from the seeded sequence). */
  private int[] shuffledPairs() {
    int[] order = new int[graph.pairs()];
    for (int p = 0; p < order.length; p++) {
      order[p] = p;
    }
    for (int p = order.length - 1; p > 0; p--) {
      int q = negatives.nextInt(p + 1);
      int t = order[p];
      order[p] = order[q];
      order[q] = t;
    }
    return order;
  }

  /**
   * A uniform item {@code user} has no pair with, or -1 when it has every item: by rejection when
   * at most half the items are the user's, else the r-th of the others.
   */
  private int negative(int user) {
    int others = graph.items() - graph.degree(user);
    if (others <= 0) {
      return -1;
    }
    if (graph.degree(user) * 2 <= graph.items()) {
      int j;
      do {
        j = negatives.nextInt(graph.items());
      } while (graph.has(user, j));
      return j;
    }
    int r = negatives.nextInt(others);
    for (int j = 0; ; j++) {
      if (!graph.has(user, j) && r-- == 0) {
        return j;
      }
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
