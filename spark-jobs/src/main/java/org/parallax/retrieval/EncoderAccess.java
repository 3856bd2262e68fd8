package org.parallax.retrieval;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.DirectoryChecksum;
import org.parallax.common.JobFailedException;
import org.parallax.common.LocalCopies;
import org.parallax.retrieval.dense.BundledE5;
import org.parallax.retrieval.dense.E5Encoder;

/**
 * What an executor needs to load the e5 encoder: the model directory (a Hadoop URI, or null for
 * the bundled e5-small-v2-q), its content fingerprint (checked on every copy), the ONNX Runtime
 * threads per model call and the batch size. Resolved once on the driver ({@link #resolve}, which
 * loads the model there too, so a broken model fails before any Spark work); each executor copies
 * the directory to local disk and loads the model once per JVM and content ({@link #open}).
 */
public final class EncoderAccess implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The default batch size on a GPU; on a CPU one text per call (see {@link #batchSize}). */
  public static final int GPU_BATCH = 32;
  private final String uri;
  private final String fingerprint;
  private final String name;
  private final int threads;
  private final int batch;
  private final String localRoot;
  private final SerializableConfiguration conf;
  private int dimension;

  private EncoderAccess(String uri, String fingerprint, String name, int threads, int batch,
      String localRoot, SerializableConfiguration conf) {
    this.uri = uri;
    this.fingerprint = fingerprint;
    this.name = name;
    this.threads = threads;
    this.batch = batch;
    this.localRoot = localRoot == null ? LocalCopies.defaultLocalRoot() : localRoot;
    this.conf = conf;
  }

  /**
   * The encoder at {@code uri} (null: the bundled model), fingerprinted and loaded once on the
   * driver; {@code batch} 0 picks {@link #batchSize}'s default.
   */
  public static EncoderAccess resolve(String uri, int threads, int batch, String localRoot,
      Configuration conf) {
    String root = localRoot == null ? LocalCopies.defaultLocalRoot() : localRoot;
    String fingerprint;
    String name;
    if (uri == null) {
      fingerprint = BundledE5.fingerprint();
      name = BundledE5.NAME;
    } else {
      Path local;
      try {
        local = LocalCopies.localize(uri, conf, root);
      } catch (RuntimeException e) {
        throw new JobFailedException("--encoder " + uri + ": cannot read the model directory ("
            + e.getMessage() + ")");
      }
      fingerprint = DirectoryChecksum.of(local).checksum();
      name = new org.apache.hadoop.fs.Path(uri).getName();
    }
    EncoderAccess a = new EncoderAccess(uri, fingerprint, name, threads, batch, root,
        new SerializableConfiguration(conf));
    try {
      a.dimension = a.open().dimension();
    } catch (RuntimeException e) {
      throw new JobFailedException("--encoder " + (uri == null ? BundledE5.NAME : uri)
          + ": cannot load an e5-style model (" + e.getMessage() + "); expected a directory with "
          + "tokenizer.json and one model file, *.onnx or TorchScript *.pt");
    }
    return a;
  }

  /** Access to the encoder an index was built with, as its manifest records it. */
  public static EncoderAccess of(IndexManifest.Dense dense, int threads, String localRoot,
      Configuration conf) {
    EncoderAccess a = new EncoderAccess(dense.encoderUri(), dense.fingerprint(), dense.encoder(),
        threads, 0, localRoot, new SerializableConfiguration(conf));
    a.dimension = dense.dimension();
    return a;
  }

  /** The encoder, loaded once per JVM and content. */
  public E5Encoder open() {
    Path dir = uri == null ? BundledE5.directory()
        : LocalCopies.localize(uri, fingerprint, conf.value(), localRoot);
    return E5Encoder.get(dir, fingerprint, threads);
  }

  /**
   * Texts per model call: the option when given, else {@value #GPU_BATCH} on a GPU and 1 on a
   * CPU, where batching gains nothing (measured) and, with a dynamically quantised model such as
   * the bundled one, makes an embedding depend slightly on its batch's padding.
   */
  public int batchSize(E5Encoder encoder) {
    if (batch > 0) {
      return batch;
    }
    return encoder.device().startsWith("gpu") ? GPU_BATCH : 1;
  }

  public String uri() {
    return uri;
  }

  public String fingerprint() {
    return fingerprint;
  }

  public String name() {
    return name;
  }

  public int dimension() {
    return dimension;
  }
}
