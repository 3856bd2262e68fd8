package org.parallax.recsys;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.parallax.common.ContentKeyedCache;

/**
 * A trained ContextGNN model loaded for inference: the DJL block, its catalogue (item ids in
 * index order, sorted) and the item table computed once at load. {@link #recommend} ranks a batch
 * of users with a blocked matrix product over the scoring table of the cutoff's
 * {@link ItemFeatures} (never materialising users x items) and {@link TopKMerge};
 * {@link #bruteForce} scores every item for verification. The scoring table of the last item
 * features seen is kept (a scoring run has one cutoff). Loaded once per JVM through {@link #get};
 * thread-safe.
 */
public final class ContextGnnModel {
  /**
   * Test hook (a JVM system property, never set in production): when {@code true}, the blocked
   * top-k puts a wrong item id, with the right score, at rank 1 of every user, the index mistake
   * that {@code recsys score --verify-sample} must catch and fail the job on.
   */
  public static final String PLANT_INDEX_MISTAKE = "parallax.test.plant-index-mistake";
  private static final String CATALOGUE = "catalogue.bin";
  private static final ContentKeyedCache<ContextGnnModel> LOADED =
      new ContentKeyedCache<>(m -> m.model.close());
  private final ContextGnnConfig config;
  private final long[] itemIds;
  private final ContextGnnBlock block;
  private final Model model;
  private final Device device;
  private final NDArray itemTable;
  private Cutoff cutoff;

  /** The item features of one cutoff and the scoring table built from them. */
  private record Cutoff(float[] values, NDArray features, NDArray table) {}

  private ContextGnnModel(Path dir) {
    this.config = ContextGnnConfig.read(dir);
    long[][] catalogue = readCatalogue(dir, config);
    this.itemIds = catalogue[0];
    this.device = device();
    this.block = new ContextGnnBlock(config, catalogue[1]);
    this.model = Model.newInstance("contextgnn", device, "PyTorch");
    model.setBlock(block);
    try {
      model.load(dir, "contextgnn");
    } catch (IOException | MalformedModelException e) {
      throw new IllegalStateException("cannot load the ContextGNN parameters from " + dir + ": "
          + e.getMessage(), e);
    }
    this.itemTable = block.itemTable(new ParameterStore(model.getNDManager(), false),
        model.getNDManager(), device, false);
  }

  /**
   * The scoring table for {@code features} ({@code items x SIZE} floats; null: all zero), built
   * once per distinct feature vector and kept while the next batches bring the same one.
   */
  private synchronized Cutoff cutoff(float[] features) {
    float[] values = features == null ? new float[config.items() * ItemFeatures.SIZE] : features;
    if (values.length != config.items() * ItemFeatures.SIZE) {
      throw new IllegalArgumentException("item features have " + values.length + " floats, "
          + "expected items x " + ItemFeatures.SIZE + " = "
          + config.items() * ItemFeatures.SIZE);
    }
    if (cutoff != null && Arrays.equals(cutoff.values, values)) {
      return cutoff;
    }
    if (cutoff != null) {
      cutoff.features.close();
      cutoff.table.close();
    }
    NDManager owner = model.getNDManager();
    NDArray f = owner.create(values, new ai.djl.ndarray.types.Shape(config.items(),
        ItemFeatures.SIZE)).toDevice(device, false);
    NDArray table;
    try (NDManager m = owner.newSubManager()) {
      table = block.scoringTable(new ParameterStore(m, false), m, device, itemTable, f);
      table.attach(owner);
    }
    cutoff = new Cutoff(values.clone(), f, table);
    return cutoff;
  }

  /** The model in {@code dir}, loaded on first use in this JVM (keyed by path only). */
  public static ContextGnnModel get(Path dir) {
    return get(dir, null);
  }

  /**
   * The model in {@code dir} with content {@code fingerprint} (its {@code DirectoryChecksum},
   * written at train time), loaded on first use in this JVM: a model retrained into the same
   * directory has a new fingerprint and is loaded anew, the stale one released.
   */
  public static ContextGnnModel get(Path dir, String fingerprint) {
    Path d = dir.toAbsolutePath().normalize();
    return LOADED.get(d.toString(), fingerprint, () -> new ContextGnnModel(d));
  }

  /** The GPU when the PyTorch engine sees one, else the CPU. */
  public static Device device() {
    return Engine.getEngine("PyTorch").getGpuCount() > 0 ? Device.gpu() : Device.cpu();
  }

  public ContextGnnConfig config() {
    return config;
  }

  public Device modelDevice() {
    return device;
  }

  /** Arrays attached to the model's manager (its parameters and item table): a leak check. */
  int managedArrays() {
    return model.getNDManager().getManagedArrays().size();
  }

  /** The catalogue index of {@code itemId}, or -1 when the model does not know the item. */
  public int index(long itemId) {
    int i = Arrays.binarySearch(itemIds, itemId);
    return i < 0 ? -1 : i;
  }

  public long itemId(int index) {
    return itemIds[index];
  }

  /** Ranks a batch of users with all item features zero (see the overload). */
  public Recommendations[] recommend(UserBatch batch, int k, int blockSize) {
    return recommend(batch, k, blockSize, null);
  }

  /**
   * Ranks a batch of users: ContextGNN top-k and both halves, by blocked top-k.
   *
   * @param itemFeatures the items' {@link ItemFeatures} at the scoring cutoff ({@code items x
   *     SIZE}, row-major), or null for none
   */
  public Recommendations[] recommend(UserBatch batch, int k, int blockSize,
      float[] itemFeatures) {
    int n = config.items();
    int want = Math.min(n, k + batch.fanout());
    Cutoff c = cutoff(itemFeatures);
    try (NDManager m = model.getNDManager().newSubManager()) {
      Scores s = scores(m, batch, c);
      NDList best = BlockedTopK.of(m, s.query, c.table, want, blockSize);
      float[] top = best.get(0).add(s.offset).toFloatArray();
      long[] at = best.get(1).toLongArray();
      Recommendations[] out = new Recommendations[batch.size()];
      for (int u = 0; u < batch.size(); u++) {
        int[] items = new int[want];
        float[] scores = new float[want];
        for (int i = 0; i < want; i++) {
          items[i] = (int) at[u * want + i];
          scores[i] = top[u * want + i];
        }
        out[u] = merge(batch, u, items, scores, s.pair, k);
        if (Boolean.getBoolean(PLANT_INDEX_MISTAKE) && out[u].items().length > 0) {
          out[u].items()[0] = (out[u].items()[0] + 1) % n;
        }
      }
      return out;
    }
  }

  /** Brute force with all item features zero (see the overload). */
  public Recommendations[] bruteForce(UserBatch batch, int k) {
    return bruteForce(batch, k, null);
  }

  /** Ranks a batch of users by scoring every item (for verification: users x items floats). */
  public Recommendations[] bruteForce(UserBatch batch, int k, float[] itemFeatures) {
    int n = config.items();
    Cutoff c = cutoff(itemFeatures);
    try (NDManager m = model.getNDManager().newSubManager()) {
      Scores s = scores(m, batch, c);
      float[] all = s.query.matMul(BlockedTopK.rows(m, c.table, 0, n).transpose()).add(s.offset)
          .toFloatArray();
      Recommendations[] out = new Recommendations[batch.size()];
      for (int u = 0; u < batch.size(); u++) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
          order[i] = i;
        }
        int base = u * n;
        Arrays.sort(order, (a, b) -> all[base + a] == all[base + b] ? Integer.compare(a, b)
            : Float.compare(all[base + b], all[base + a]));
        int want = Math.min(n, k + batch.fanout());
        int[] items = new int[want];
        float[] scores = new float[want];
        for (int i = 0; i < want; i++) {
          items[i] = order[i];
          scores[i] = all[base + order[i]];
        }
        out[u] = merge(batch, u, items, scores, s.pair, k);
      }
      return out;
    }
  }

  private Recommendations merge(UserBatch batch, int u, int[] items, float[] scores,
      float[] pair, int k) {
    int f = batch.familiarCount(u);
    int[] familiar = new int[f];
    float[] pairScores = new float[f];
    for (int i = 0; i < f; i++) {
      familiar[i] = batch.familiar(u, i);
      pairScores[i] = pair[u * batch.fanout() + i];
    }
    return TopKMerge.merge(items, scores, familiar, pairScores, k);
  }

  private record Scores(NDArray query, NDArray offset, float[] pair) {}

  private Scores scores(NDManager m, UserBatch batch, Cutoff c) {
    if (batch.fanout() != config.fanout()) {
      throw new IllegalArgumentException("batch fanout " + batch.fanout() + " differs from the "
          + "model's " + config.fanout());
    }
    ParameterStore store = new ParameterStore(m, false);
    NDList enc = block.encode(store, m, device, false, itemTable, batch);
    NDArray h = enc.get(0);
    int f = ItemFeatures.SIZE;
    NDArray at = batch.itemsArray(m).toDevice(device, false).mul((long) f).expandDims(-1)
        .add(m.arange(0f, (float) f, 1f, DataType.INT64, device));
    float[] pair = block.pairScores(store, device, false, enc, c.features.take(m, at))
        .toFloatArray();
    return new Scores(block.scoringQuery(store, m, device, h),
        block.scoringOffset(store, device, h), pair);
  }

  /** Writes the catalogue: item ids (sorted) and their hashed attribute buckets. */
  static void writeCatalogue(Path dir, long[] itemIds, long[] attributeIndex) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
        Files.newOutputStream(dir.resolve(CATALOGUE))))) {
      out.writeInt(itemIds.length);
      out.writeInt(attributeIndex.length);
      for (long id : itemIds) {
        out.writeLong(id);
      }
      for (long a : attributeIndex) {
        out.writeLong(a);
      }
    }
  }

  /** The item ids of the model in {@code dir}, in catalogue order (for relational checks). */
  public static long[] catalogueIds(Path dir) {
    return readCatalogue(dir, ContextGnnConfig.read(dir))[0];
  }

  private static long[][] readCatalogue(Path dir, ContextGnnConfig config) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(dir.resolve(CATALOGUE))))) {
      long[] ids = new long[in.readInt()];
      long[] attributes = new long[in.readInt()];
      if (ids.length != config.items()) {
        throw new IllegalArgumentException(dir.resolve(CATALOGUE) + " lists " + ids.length
            + " items, the config " + config.items());
      }
      for (int i = 0; i < ids.length; i++) {
        ids[i] = in.readLong();
      }
      for (int i = 0; i < attributes.length; i++) {
        attributes[i] = in.readLong();
      }
      return new long[][] {ids, attributes};
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the catalogue " + dir.resolve(CATALOGUE), e);
    }
  }
}
