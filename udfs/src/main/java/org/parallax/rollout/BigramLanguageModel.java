package org.parallax.rollout;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The smallest causal language model: next-token logits are a learned function of the current
 * token only ({@code logits[b, t] = W[input_ids[b, t]]}). parallax's DJL-native model format
 * ({@code parallax-lm.json} plus DJL parameters) holds one; tests build one with chosen weights
 * to drive {@link DjlPolicy} deterministically. Takes {@code (input_ids, attention_mask)} like an
 * exported checkpoint and ignores the mask.
 */
public final class BigramLanguageModel extends AbstractBlock {
  private static final byte VERSION = 1;
  private final int vocab;
  private final Parameter weight;

  public BigramLanguageModel(int vocab) {
    super(VERSION);
    this.vocab = vocab;
    this.weight = addParameter(Parameter.builder().setName("weight")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(vocab, vocab)).build());
  }

  public Parameter weight() {
    return weight;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0);
    NDArray w = store.getValue(weight, ids.getDevice(), training);
    // Row lookup as a linear take (the PyTorch engine has take, not oneHot): W[id, j] sits at
    // id * vocab + j.
    NDArray columns = ids.getManager().arange(vocab).toType(DataType.INT64, false);
    return new NDList(w.take(ids.expandDims(-1).mul(vocab).add(columns)));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {new Shape(in.get(0), in.get(1), vocab)};
  }
}
