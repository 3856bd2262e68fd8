package org.parallax.recsys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shape of a ContextGNN model, saved beside its parameters as {@code contextgnn.json}.
 *
 * @param items catalogue size (rows of the item table)
 * @param dim embedding and hidden width
 * @param fanout familiar items per user (the local subgraph's size cap)
 * @param attributes categorical item attributes encoded by the attribute encoder
 * @param buckets hash buckets per attribute
 * @param halfLifeDays half-life of the decayed pair weight the features were built with
 * @param windowDays the popularity window of the item features ({@link ItemFeatures}): scoring
 *     counts an item's interactions in this many days before its cutoff, as training did
 */
public record ContextGnnConfig(int items, int dim, int fanout, int attributes, int buckets,
    double halfLifeDays, int windowDays) {
  public static final String FILE = "contextgnn.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public ContextGnnConfig {
    if (items < 1 || dim < 1 || fanout < 1 || attributes < 0 || buckets < 1
        || halfLifeDays <= 0 || windowDays < 1) {
      throw new IllegalArgumentException("invalid ContextGNN config: items " + items + ", dim "
          + dim + ", fanout " + fanout + ", attributes " + attributes + ", buckets " + buckets
          + ", half-life " + halfLifeDays + ", window " + windowDays);
    }
  }

  /** A config with the default 7-day popularity window. */
  public ContextGnnConfig(int items, int dim, int fanout, int attributes, int buckets,
      double halfLifeDays) {
    this(items, dim, fanout, attributes, buckets, halfLifeDays, 7);
  }

  public void write(Path dir) {
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(FILE).toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(FILE), e);
    }
  }

  public static ContextGnnConfig read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("not a ContextGNN model directory (no " + FILE + "): "
          + dir);
    }
    try {
      JsonNode n = JSON.readTree(file.toFile());
      return new ContextGnnConfig(n.get("items").asInt(), n.get("dim").asInt(),
          n.get("fanout").asInt(), n.get("attributes").asInt(), n.get("buckets").asInt(),
          n.get("halfLifeDays").asDouble(), n.path("windowDays").asInt(7));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
