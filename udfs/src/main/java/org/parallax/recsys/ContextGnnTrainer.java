package org.parallax.recsys;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Trains a {@link ContextGnnBlock} with Adam on batches of (user, cutoff) examples. The loss is
 * the softmax cross-entropy of each label item against the candidate items, where a familiar
 * item's logit is its pair-wise score and every other item's is its two-tower score (ContextGNN's
 * merged ranking, trained end to end). Candidates are all items when the catalogue has at most
 * {@code fullSoftmaxMax} items, else a sampled softmax over the batch's positives, then its
 * familiar items, then uniform random items up to {@code sampledCandidates}. Each user's items
 * carry their {@link ItemFeatures} at that user's cutoff (its context: a row of the table given to
 * {@link #setItemFeatures}). Training starts from the popularity baseline's ranking (the block's
 * gates at zero, {@link ContextGnnBlock#setBaseline}); {@link #recommend} ranks a batch exactly
 * as the saved model would (for validation MAP@k). Runs on the GPU when DJL sees one.
 */
public final class ContextGnnTrainer implements AutoCloseable {
  private final ContextGnnConfig config;
  private final ContextGnnBlock block;
  private final Model model;
  private final Device device;
  private final ParameterStore store;
  private final int fullSoftmaxMax;
  private final int sampledCandidates;
  private final SplittableRandom random;
  private NDArray featureTable;
  private float maxPrior;

  public ContextGnnTrainer(ContextGnnConfig config, long[] attributeIndex, float learningRate,
      float weightDecay, int fullSoftmaxMax, int sampledCandidates, long seed) {
    this.config = config;
    this.fullSoftmaxMax = fullSoftmaxMax;
    this.sampledCandidates = sampledCandidates;
    this.random = new SplittableRandom(seed);
    this.device = ContextGnnModel.device();
    this.block = new ContextGnnBlock(config, attributeIndex);
    this.model = Model.newInstance("contextgnn", device, "PyTorch");
    model.setBlock(block);
    Engine.getEngine("PyTorch").setRandomSeed((int) seed);
    block.setInitializer(new NormalInitializer(0.1f), Parameter.Type.WEIGHT);
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, config.fanout()));
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate))
        .optWeightDecays(weightDecay).build();
    this.store = new ParameterStore(model.getNDManager(), false);
    store.setParameterServer(new LocalParameterServer(adam), new Device[] {device});
    setItemFeatures(new float[config.items() * ItemFeatures.SIZE], 1);
    block.setBaseline(ContextGnnBlock.Baseline.POPULARITY, maxPrior);
  }

  /**
   * The item features per context: {@code contexts x items x SIZE} floats, row-major; a user of
   * context c reads row c.
   */
  public void setItemFeatures(float[] table, int contexts) {
    if (table.length != (long) contexts * config.items() * ItemFeatures.SIZE) {
      throw new IllegalArgumentException("item feature table has " + table.length
          + " floats, expected contexts x items x " + ItemFeatures.SIZE + " = "
          + (long) contexts * config.items() * ItemFeatures.SIZE);
    }
    float max = 0;
    for (int i = ItemFeatures.POPULARITY; i < table.length; i += ItemFeatures.SIZE) {
      max = Math.max(max, table[i]);
    }
    maxPrior = max;
    NDArray next = model.getNDManager().create(table).toDevice(device, false);
    if (featureTable != null) {
      featureTable.close();
    }
    featureTable = next;
  }

  /**
   * Sets the direct paths to reproduce {@code baseline} over the current item features (and
   * closes the gates).
   */
  public void setBaseline(ContextGnnBlock.Baseline baseline) {
    block.setBaseline(baseline, maxPrior);
  }

  /** The block being trained (tests set its gates). */
  public ContextGnnBlock block() {
    return block;
  }

  public Device device() {
    return device;
  }

  /**
   * One optimisation step.
   *
   * @param positives per user of the batch, the catalogue indices of its label items
   * @return the batch's mean loss
   */
  public double step(UserBatch batch, int[][] positives) {
    try (PreparedBatch p = prepare(batch, positives)) {
      return step(p);
    }
  }

  /** One optimisation step on a batch already on the device; returns its mean loss. */
  public double step(PreparedBatch batch) {
    double loss;
    try (NDScope scope = new NDScope(); NDManager m = model.getNDManager().newSubManager()) {
      scope.suppressNotUsedWarning();
      try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray l = loss(m, batch, true);
        gc.backward(l);
        loss = l.getFloat();
      }
    }
    store.updateAllParameters();
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray w = p.getValue().getArray();
      if (w.hasGradient()) {
        try (NDArray g = w.getGradient()) {
          g.subi(g);
        }
      }
    }
    return loss;
  }

  /** The loss of a batch without updating the model (validation). */
  public double evaluate(UserBatch batch, int[][] positives) {
    try (PreparedBatch p = prepare(batch, positives)) {
      return evaluate(p);
    }
  }

  /** The loss of a batch already on the device, without updating the model. */
  public double evaluate(PreparedBatch batch) {
    try (NDScope scope = new NDScope(); NDManager m = model.getNDManager().newSubManager()) {
      scope.suppressNotUsedWarning();
      return loss(m, batch, false).getFloat();
    }
  }

  /**
   * A batch's inputs as arrays on the device (the candidates of a sampled softmax drawn now),
   * owned by the returned object: close it after its steps. Same as {@code
   * prepare(hostBatch(batch, positives, null))}.
   *
   * @param positives per user of the batch, the catalogue indices of its label items
   */
  public PreparedBatch prepare(UserBatch batch, int[][] positives) {
    return prepare(hostBatch(batch, positives, null));
  }

  /**
   * A batch's inputs as plain arrays (the candidates of a sampled softmax drawn now), without
   * calling the engine. May run on another thread than the steps (one at a time: it draws the
   * candidates from the trainer's random sequence), which is how a training pass builds the next
   * batches while the current one steps; {@link #prepare(HostBatch)} then makes their arrays on
   * the stepping thread.
   *
   * @param positives per user of the batch, the catalogue indices of its label items
   * @param reuse a host batch already copied to the device whose arrays are refilled, or null
   */
  public HostBatch hostBatch(UserBatch batch, int[][] positives, HostBatch reuse) {
    HostBatch h = reuse == null ? new HostBatch() : reuse;
    int b = batch.size();
    int f = batch.fanout();
    int[] candidates = candidates(batch, positives);
    int c = candidates == null ? config.items() : candidates.length;
    Map<Integer, Integer> column = new HashMap<>();
    if (candidates != null) {
      for (int i = 0; i < candidates.length; i++) {
        column.put(candidates[i], i);
      }
    }
    int total = 0;
    for (int[] p : positives) {
      total += p.length;
    }
    h.users = b;
    h.fanout = f;
    h.columns = c;
    h.labels = total;
    h.candidates = candidates == null ? null : toLong(candidates);
    h.items = HostBatch.fit(h.items, b * f);
    h.mask = HostBatch.fit(h.mask, b * f);
    h.features = HostBatch.fit(h.features, b * f * PairFeatures.SIZE);
    h.contexts = HostBatch.fit(h.contexts, b);
    batch.copyTo(h.items, h.mask, h.features, h.contexts);
    h.dense = HostBatch.zeroed(h.dense, b * c);
    h.towerAt = HostBatch.fit(h.towerAt, total);
    h.pairAt = HostBatch.fit(h.pairAt, total);
    h.userOf = HostBatch.fit(h.userOf, total);
    h.familiar = HostBatch.fit(h.familiar, total);
    int next = 0;
    Map<Integer, Integer> slot = new HashMap<>();
    for (int u = 0; u < b; u++) {
      slot.clear();
      for (int s = 0; s < batch.familiarCount(u); s++) {
        int item = batch.familiar(u, s);
        slot.putIfAbsent(item, s);
        h.dense[u * c + col(column, candidates, item)] = 1f;
      }
      for (int item : positives[u]) {
        Integer s = slot.get(item);
        h.userOf[next] = u;
        h.towerAt[next] = (long) u * c + col(column, candidates, item);
        h.pairAt[next] = (long) u * f + (s == null ? 0 : s);
        h.familiar[next] = s == null ? 0f : 1f;
        next++;
      }
    }
    return h;
  }

  /**
   * A host batch's arrays on the device, owned by the returned object: close it after its steps.
   * Call it on the thread that steps (see {@link HostBatch}); the host batch may be refilled once
   * this returns (its arrays are copied).
   */
  public PreparedBatch prepare(HostBatch h) {
    int b = h.users;
    int f = h.fanout;
    int n = h.labels;
    NDManager m = model.getNDManager().newSubManager();
    NDArray itemsAt = h.candidates == null
        ? m.arange(0f, (float) config.items(), 1f, DataType.INT64, device)
        : m.create(h.candidates).toDevice(device, false);
    return new PreparedBatch(m, b, onDevice(m, h.items, new Shape(b, f)),
        onDevice(m, h.mask, new Shape(b, f, 1)),
        onDevice(m, h.features, new Shape(b, f, PairFeatures.SIZE)),
        onDevice(m, h.contexts, new Shape(b)), h.candidates == null ? null : itemsAt, itemsAt,
        onDevice(m, h.dense, new Shape(b, h.columns)), onDevice(m, h.familiar, new Shape(n)),
        onDevice(m, h.pairAt, new Shape(n)), onDevice(m, h.towerAt, new Shape(n)),
        onDevice(m, h.userOf, new Shape(n)));
  }

  /** The first {@code shape.size()} values of {@code a}, copied to an array on the device. */
  private NDArray onDevice(NDManager m, float[] a, Shape shape) {
    return m.create(FloatBuffer.wrap(a, 0, Math.toIntExact(shape.size())), shape)
        .toDevice(device, false);
  }

  private NDArray onDevice(NDManager m, long[] a, Shape shape) {
    return m.create(LongBuffer.wrap(a, 0, Math.toIntExact(shape.size())), shape)
        .toDevice(device, false);
  }

  private NDArray loss(NDManager m, PreparedBatch p, boolean training) {
    NDArray items = block.itemTable(store, m, device, training);
    NDArray q = items;
    if (p.candidates != null) {
      NDArray columns = m.arange(0f, (float) config.dim(), 1f, DataType.INT64, device);
      q = items.take(m, p.candidates.expandDims(-1).mul(config.dim()).add(columns));
    }
    NDList enc = block.encode(store, m, device, training, items, p.items, p.mask, p.features);
    NDArray h = enc.get(0);
    NDArray pair = block.pairScores(store, device, training, enc,
        features(m, p.contexts, p.items));
    NDArray tower = block.towerScores(store, device, training, h, q,
        features(m, p.contexts, p.itemsAt.expandDims(0)));
    NDArray mask = p.mask.squeeze(-1);
    NDArray shift = tower.max(new int[] {1}).maximum(pair.add(mask.sub(1f).mul(1e4f))
        .max(new int[] {1})).stopGradient().expandDims(1);
    NDArray partition = tower.sub(shift).exp().mul(p.dense.neg().add(1f)).sum(new int[] {1})
        .add(pair.sub(shift).exp().mul(mask).sum(new int[] {1}));
    NDArray logZ = partition.log().add(shift.squeeze(1));
    NDArray score = pair.flatten().take(m, p.pairAt).mul(p.familiar)
        .add(tower.flatten().take(m, p.towerAt).mul(p.familiar.neg().add(1f)));
    return logZ.take(m, p.userOf).sub(score).mean();
  }

  /**
   * The features of items at each user's context: {@code items} ({@code B x n} or {@code 1 x n}
   * catalogue indices) to {@code B x n x SIZE}.
   */
  private NDArray features(NDManager m, NDArray contexts, NDArray items) {
    int f = ItemFeatures.SIZE;
    NDArray base = contexts.mul((long) config.items()).expandDims(1);
    NDArray at = base.add(items).mul((long) f).expandDims(-1)
        .add(m.arange(0f, (float) f, 1f, DataType.INT64, device));
    return featureTable.take(m, at);
  }

  /**
   * Ranks a batch of users over the whole catalogue exactly as the saved model does (the
   * two-tower top-(k + fanout) in blocks of items, merged with the familiar items' pair-wise
   * scores by {@link TopKMerge}), each user at its own context; ties go to the smaller catalogue
   * index.
   */
  public Recommendations[] recommend(UserBatch batch, int k) {
    int n = config.items();
    int b = batch.size();
    int want = Math.min(n, k + batch.fanout());
    int block = 4096;
    try (NDScope scope = new NDScope(); NDManager m = model.getNDManager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray items = block().itemTable(store, m, device, false);
      NDList enc = this.block.encode(store, m, device, false, items, batch);
      NDArray h = enc.get(0);
      NDArray contexts = batch.contextsArray(m).toDevice(device, false);
      float[] pair = this.block.pairScores(store, device, false, enc,
          features(m, contexts, batch.itemsArray(m).toDevice(device, false))).toFloatArray();
      int[][] topItems = new int[b][want];
      float[][] topScores = new float[b][want];
      int[] filled = new int[b];
      for (int start = 0; start < n; start += block) {
        int end = Math.min(n, start + block);
        NDArray at = m.arange((float) start, (float) end, 1f, DataType.INT64, device);
        NDArray q = items.get(new ai.djl.ndarray.index.NDIndex(start + ":" + end));
        float[] tower = this.block.towerScores(store, device, false, h, q,
            features(m, contexts, at.expandDims(0))).toFloatArray();
        int width = end - start;
        for (int u = 0; u < b; u++) {
          for (int i = 0; i < width; i++) {
            filled[u] = offer(topItems[u], topScores[u], filled[u], start + i,
                tower[u * width + i]);
          }
        }
      }
      Recommendations[] out = new Recommendations[b];
      for (int u = 0; u < b; u++) {
        int fc = batch.familiarCount(u);
        int[] familiar = new int[fc];
        float[] pairScores = new float[fc];
        for (int j = 0; j < fc; j++) {
          familiar[j] = batch.familiar(u, j);
          pairScores[j] = pair[u * batch.fanout() + j];
        }
        out[u] = TopKMerge.merge(topItems[u], topScores[u], familiar, pairScores, k);
      }
      return out;
    }
  }

  /** Inserts (item, score) into a best-first list of {@code filled} entries; returns its size. */
  private static int offer(int[] items, float[] scores, int filled, int item, float score) {
    int cap = items.length;
    if (filled == cap && !(score > scores[cap - 1])) {
      return filled;
    }
    int at = filled < cap ? filled : cap - 1;
    while (at > 0 && score > scores[at - 1]) {
      items[at] = items[at - 1];
      scores[at] = scores[at - 1];
      at--;
    }
    items[at] = item;
    scores[at] = score;
    return Math.min(cap, filled + 1);
  }

  private static int col(Map<Integer, Integer> column, int[] candidates, int item) {
    return candidates == null ? item : column.get(item);
  }

  /** Null for the full softmax; else positives, familiar items, then random items. */
  private int[] candidates(UserBatch batch, int[][] positives) {
    if (config.items() <= fullSoftmaxMax) {
      return null;
    }
    java.util.LinkedHashSet<Integer> set = new java.util.LinkedHashSet<>();
    for (int[] p : positives) {
      for (int i : p) {
        set.add(i);
      }
    }
    for (int u = 0; u < batch.size(); u++) {
      for (int s = 0; s < batch.familiarCount(u); s++) {
        set.add(batch.familiar(u, s));
      }
    }
    int target = Math.min(config.items(), Math.max(sampledCandidates, set.size()));
    while (set.size() < target) {
      set.add(random.nextInt(config.items()));
    }
    return set.stream().mapToInt(Integer::intValue).toArray();
  }

  private static long[] toLong(int[] a) {
    long[] out = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i];
    }
    return out;
  }

  /** Writes the model (parameters, config, catalogue) to {@code dir}. */
  public void save(Path dir, long[] itemIds, long[] attributeIndex) {
    try {
      model.save(dir, "contextgnn");
      config.write(dir);
      ContextGnnModel.writeCatalogue(dir, itemIds, attributeIndex);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the ContextGNN model to " + dir, e);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
