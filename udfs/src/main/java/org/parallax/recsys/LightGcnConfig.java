package org.parallax.recsys;

/**
 * LightGCN's settings (He et al. 2020). Validated where a user gives them (the recsys options).
 *
 * @param layers propagation layers K (the final embedding is the mean of layers 0..K)
 * @param dim embedding width
 * @param epochs passes over the distinct (user, item) pairs, each with one sampled negative
 * @param learningRate Adam's learning rate
 * @param l2 weight of the L2 penalty on the layer-0 embeddings of each (user, positive,
 *     negative) triple, per triple
 * @param batchSize triples per optimisation step
 */
public record LightGcnConfig(int layers, int dim, int epochs, double learningRate, double l2,
    int batchSize) implements java.io.Serializable {}
