package org.parallax.recsys;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The ContextGNN scorer (Yuan et al. 2024) as a DJL block:
 * <ul>
 *   <li>item table: a shallow embedding per item plus an attribute encoder (one embedding table
 *       per hashed categorical attribute, summed);
 *   <li>user encoder: two message-passing layers over the user's local subgraph (root user and
 *       familiar items), the root starting from a learned ID-awareness vector, each pair carrying a
 *       relative-time encoding ({@link PairFeatures}) projected into the hidden space;
 *   <li>pair-wise head for familiar items: {@code g_pair * (head(h_item) + <h_user, h_item> +
 *       edge(pair) + offset_pair(u)) + lin . pair + c + beta * prior(item)} where {@code h_item}
 *       is the item's state after message passing and {@code edge} a small MLP of the pair's own
 *       features;
 *   <li>two-tower head for every item: {@code g_tower * (<P h_user, q_item + W f_item> +
 *       offset_tower(u)) + prior(item)}, {@code f_item} the item's {@link ItemFeatures} at the
 *       user's cutoff and {@code prior(item) = w . f_item}.
 * </ul>
 * The offsets are linear in the user state, so each user's two score families are calibrated
 * against each other by the shared softmax. The learned parts enter through scalar gates
 * ({@code g_tower}, {@code g_pair}) that start at zero, beside direct (residual) paths from the
 * baselines' own signals: the item prior starts as the popularity feature, so the untrained model
 * ranks exactly like the popularity baseline, and {@link #setBaseline} sets the direct paths to
 * reproduce either baseline exactly (past visits: familiar items first, most recent first). The
 * methods take a {@link ParameterStore}, so the same code serves training (gradients) and
 * inference.
 */
public final class ContextGnnBlock extends AbstractBlock {
  private static final byte VERSION = 1;
  private final ContextGnnConfig config;
  private final long[] attributeIndex;
  private final Parameter itemEmbedding;
  private final Parameter attributeEmbedding;
  private final Parameter idAwareness;
  private final Parameter timeWeight;
  private final Parameter timeBias;
  private final Parameter[] message = new Parameter[2];
  private final Parameter[] self = new Parameter[2];
  private final Parameter[] itemUpdate = new Parameter[2];
  private final Parameter[] rootToItem = new Parameter[2];
  private final Parameter headHidden;
  private final Parameter headOut;
  private final Parameter edgeHidden;
  private final Parameter edgeOut;
  private final Parameter pairOffset;
  private final Parameter pairOffsetBias;
  private final Parameter towerProjection;
  private final Parameter towerOffset;
  private final Parameter towerOffsetBias;
  private final Parameter itemFeatureWeight;
  private final Parameter itemPrior;
  private final Parameter pairLinear;
  private final Parameter pairPrior;
  private final Parameter pairBias;
  private final Parameter towerGate;
  private final Parameter pairGate;

  /** The baselines the direct paths can reproduce exactly ({@link #setBaseline}). */
  public enum Baseline {
    /** Every item by its interactions in the window before the cutoff, familiar or not. */
    POPULARITY,
    /** The familiar items, most recent first, then the others by popularity. */
    PAST_VISITS
  }


  /**
   * @param attributeIndex per item and attribute, the hashed bucket ({@code items x attributes},
   *     row-major); empty when the config has no attributes
   */
  public ContextGnnBlock(ContextGnnConfig config, long[] attributeIndex) {
    super(VERSION);
    if (attributeIndex.length != (long) config.items() * config.attributes()) {
      throw new IllegalArgumentException("attribute index has " + attributeIndex.length
          + " entries, expected items x attributes = " + config.items() * config.attributes());
    }
    this.config = config;
    this.attributeIndex = attributeIndex;
    int d = config.dim();
    itemEmbedding = weight("item_embedding", config.items(), d);
    attributeEmbedding = config.attributes() == 0 ? null
        : weight("attribute_embedding", config.attributes() * config.buckets(), d);
    idAwareness = weight("id_awareness", 1, d);
    timeWeight = weight("time_weight", PairFeatures.SIZE, d);
    timeBias = bias("time_bias", d);
    for (int layer = 0; layer < 2; layer++) {
      message[layer] = weight("message_" + layer, d, d);
      self[layer] = weight("self_" + layer, d, d);
      itemUpdate[layer] = weight("item_update_" + layer, d, d);
      rootToItem[layer] = weight("root_to_item_" + layer, d, d);
    }
    headHidden = weight("head_hidden", d, d);
    headOut = weight("head_out", d, 1);
    edgeHidden = weight("edge_hidden", PairFeatures.SIZE, d);
    edgeOut = weight("edge_out", d, 1);
    pairOffset = weight("pair_offset", d, 1);
    pairOffsetBias = bias("pair_offset_bias", 1);
    towerProjection = weight("tower_projection", d, d);
    towerOffset = weight("tower_offset", d, 1);
    towerOffsetBias = bias("tower_offset_bias", 1);
    itemFeatureWeight = weight("item_feature_weight", ItemFeatures.SIZE, d);
    itemPrior = weight("item_prior", ItemFeatures.SIZE, 1);
    pairLinear = weight("pair_linear", PairFeatures.SIZE, 1);
    pairPrior = bias("pair_prior", 1);
    pairBias = bias("pair_bias", 1);
    towerGate = bias("tower_gate", 1);
    pairGate = bias("pair_gate", 1);
  }

  /** Sets the gates of the learned parts (zero: the direct paths alone score). */
  public void setGates(float tower, float pair) {
    towerGate.getArray().set(new float[] {tower});
    pairGate.getArray().set(new float[] {pair});
  }

  /**
   * Sets the direct paths so that, with both gates at zero, the block ranks exactly like
   * {@code baseline} (ties by catalogue index, as the baselines break them by item id); the
   * learned parts are left as they are and enter once training opens the gates. Call after
   * initialisation.
   *
   * @param maxPrior the largest popularity feature of any item (sets the past-visits bias just
   *     above every prior, so the familiar items come first whatever their recency rank)
   */
  public void setBaseline(Baseline baseline, float maxPrior) {
    float[] prior = new float[ItemFeatures.SIZE];
    prior[ItemFeatures.POPULARITY] = 1f;
    itemPrior.getArray().set(prior);
    towerGate.getArray().set(new float[] {0f});
    pairGate.getArray().set(new float[] {0f});
    float[] linear = new float[PairFeatures.SIZE];
    if (baseline == Baseline.PAST_VISITS) {
      // Familiar items above every other item, by recency rank (log rank: strictly decreasing).
      linear[PairFeatures.LOG_RANK] = -1f;
      pairPrior.getArray().set(new float[] {0f});
      pairBias.getArray().set(new float[] {
          maxPrior + (float) Math.log(config.fanout()) + 1f});
    } else {
      pairPrior.getArray().set(new float[] {1f});
      pairBias.getArray().set(new float[] {0f});
    }
    pairLinear.getArray().set(linear);
  }

  public ContextGnnConfig config() {
    return config;
  }

  private Parameter weight(String name, int rows, int cols) {
    return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, cols)).build());
  }

  private Parameter bias(String name, int size) {
    return addParameter(Parameter.builder().setName(name).setType(Parameter.Type.BIAS)
        .optShape(new Shape(size)).build());
  }

  /** The item table {@code q} ({@code items x dim}): shallow embedding plus attribute encoder. */
  public NDArray itemTable(ParameterStore store, NDManager m, Device device, boolean training) {
    NDArray q = m.zeros(new Shape(config.items(), config.dim()), DataType.FLOAT32, device)
        .add(store.getValue(itemEmbedding, device, training));
    if (attributeEmbedding != null) {
      NDArray rows = m.create(attributeIndex, new Shape(config.items(), config.attributes()))
          .toDevice(device, false);
      NDArray attr = rows(m, store.getValue(attributeEmbedding, device, training), rows);
      q = q.add(attr.sum(new int[] {1}));
    }
    return q;
  }

  /** Rows of {@code table} ({@code n x dim}) at {@code index} (any shape): shape + [dim]. */
  private NDArray rows(NDManager m, NDArray table, NDArray index) {
    int d = config.dim();
    NDArray columns = m.arange(0f, (float) d, 1f, DataType.INT64, index.getDevice());
    return table.take(m, index.toType(DataType.INT64, false).expandDims(-1).mul(d).add(columns));
  }

  /**
   * Encodes users: returns {@code [h_user (B x d), h_familiar (B x F x d), edge (B x F)]},
   * edge being a small MLP of each pair's features alone (the pair-wise head's direct path).
   *
   * @param q the item table from {@link #itemTable}
   */
  public NDList encode(ParameterStore store, NDManager m, Device device, boolean training,
      NDArray q, UserBatch batch) {
    return encode(store, m, device, training, q, batch.itemsArray(m).toDevice(device, false),
        batch.maskArray(m).toDevice(device, false),
        batch.featuresArray(m).toDevice(device, false));
  }

  /**
   * {@link #encode(ParameterStore, NDManager, Device, boolean, NDArray, UserBatch)} from a
   * batch's arrays on the device: familiar items ({@code B x F}), mask ({@code B x F x 1}) and
   * pair features ({@code B x F x PairFeatures.SIZE}).
   */
  public NDList encode(ParameterStore store, NDManager m, Device device, boolean training,
      NDArray q, NDArray items, NDArray mask, NDArray features) {
    NDArray edge = features.matMul(store.getValue(edgeHidden, device, training))
        .getNDArrayInternal().relu().matMul(store.getValue(edgeOut, device, training))
        .squeeze(-1);
    NDArray time = features.matMul(store.getValue(timeWeight, device, training))
        .add(store.getValue(timeBias, device, training));
    NDArray count = mask.sum(new int[] {1}).maximum(1f);
    NDArray x = rows(m, q, items);
    NDArray h = m.zeros(new Shape(items.getShape().get(0), config.dim()), DataType.FLOAT32,
        device)
        .add(store.getValue(idAwareness, device, training));
    for (int layer = 0; layer < 2; layer++) {
      NDArray msg = x.add(time).matMul(store.getValue(message[layer], device, training))
          .getNDArrayInternal().relu().mul(mask);
      NDArray aggregated = msg.sum(new int[] {1}).div(count);
      NDArray hNext = h.matMul(store.getValue(self[layer], device, training)).add(aggregated)
          .getNDArrayInternal().relu();
      NDArray xNext = x.matMul(store.getValue(itemUpdate[layer], device, training))
          .add(h.matMul(store.getValue(rootToItem[layer], device, training)).expandDims(1))
          .add(time).getNDArrayInternal().relu();
      if (layer > 0) {
        hNext = hNext.add(h);
        xNext = xNext.add(x);
      }
      h = hNext;
      x = xNext;
    }
    return new NDList(h, x, edge, features);
  }

  /**
   * Pair-wise scores of the familiar items ({@code B x F}; padding slots are meaningless).
   *
   * @param familiarFeatures the familiar items' {@link ItemFeatures} ({@code B x F x SIZE})
   */
  public NDArray pairScores(ParameterStore store, Device device, boolean training,
      NDList encoded, NDArray familiarFeatures) {
    NDArray h = encoded.get(0);
    NDArray x = encoded.get(1);
    NDArray head = x.matMul(store.getValue(headHidden, device, training)).getNDArrayInternal()
        .relu().matMul(store.getValue(headOut, device, training)).squeeze(-1);
    NDArray affinity = x.mul(h.expandDims(1)).sum(new int[] {2});
    NDArray offset = h.matMul(store.getValue(pairOffset, device, training))
        .add(store.getValue(pairOffsetBias, device, training));
    NDArray learned = head.add(affinity).add(encoded.get(2)).add(offset)
        .mul(store.getValue(pairGate, device, training));
    NDArray direct = encoded.get(3).matMul(store.getValue(pairLinear, device, training))
        .squeeze(-1).add(store.getValue(pairBias, device, training))
        .add(prior(store, device, training, familiarFeatures)
            .mul(store.getValue(pairPrior, device, training)));
    return learned.add(direct);
  }

  /** The item prior {@code w . f_item} of items' features ({@code ... x SIZE} to {@code ...}). */
  public NDArray prior(ParameterStore store, Device device, boolean training, NDArray features) {
    return features.matMul(store.getValue(itemPrior, device, training)).squeeze(-1);
  }

  /**
   * Two-tower scores of candidate items whose features differ per user (training: each user has
   * its own cutoff): {@code B x C}.
   *
   * @param q the candidates' rows of the item table ({@code C x d})
   * @param features the candidates' features at each user's cutoff ({@code B x C x SIZE})
   */
  public NDArray towerScores(ParameterStore store, Device device, boolean training, NDArray h,
      NDArray q, NDArray features) {
    NDArray query = towerQuery(store, device, training, h);
    NDArray viaFeatures = features.mul(query.matMul(
        store.getValue(itemFeatureWeight, device, training).transpose()).expandDims(1))
        .sum(new int[] {2});
    return query.matMul(q.transpose()).add(viaFeatures)
        .add(towerOffset(store, device, training, h))
        .mul(store.getValue(towerGate, device, training))
        .add(prior(store, device, training, features));
  }

  /**
   * The scoring table of one cutoff ({@code items x (d + 1)}): each item's row {@code q_item + W
   * f_item} and, as a last column, its prior, so that {@link #scoringQuery} times its transpose
   * plus {@link #scoringOffset} is {@link #towerScores} in one matrix product.
   *
   * @param features the items' features at the cutoff ({@code items x SIZE})
   */
  public NDArray scoringTable(ParameterStore store, NDManager m, Device device, NDArray q,
      NDArray features) {
    NDArray rows = q.add(features.matMul(store.getValue(itemFeatureWeight, device, false)));
    return rows.concat(prior(store, device, false, features).expandDims(1), 1);
  }

  /** The user side of {@link #scoringTable}: {@code [g_tower P h_user, 1]} ({@code B x (d+1)}). */
  public NDArray scoringQuery(ParameterStore store, NDManager m, Device device, NDArray h) {
    NDArray gate = store.getValue(towerGate, device, false);
    return towerQuery(store, device, false, h).mul(gate)
        .concat(m.ones(new Shape(h.getShape().get(0), 1), DataType.FLOAT32, device), 1);
  }

  /** The gated two-tower offset per user of {@link #scoringTable} ({@code B x 1}). */
  public NDArray scoringOffset(ParameterStore store, Device device, NDArray h) {
    return towerOffset(store, device, false, h).mul(store.getValue(towerGate, device, false));
  }

  /** The user tower {@code P h_user} ({@code B x d}). */
  public NDArray towerQuery(ParameterStore store, Device device, boolean training, NDArray h) {
    return h.matMul(store.getValue(towerProjection, device, training));
  }

  /** The two-tower offset per user ({@code B x 1}). */
  public NDArray towerOffset(ParameterStore store, Device device, boolean training, NDArray h) {
    return h.matMul(store.getValue(towerOffset, device, training))
        .add(store.getValue(towerOffsetBias, device, training));
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    throw new UnsupportedOperationException("ContextGnnBlock is driven through encode, "
        + "pairScores and towerQuery (see ContextGnnTrainer and ContextGnnModel)");
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), config.dim())};
  }
}
