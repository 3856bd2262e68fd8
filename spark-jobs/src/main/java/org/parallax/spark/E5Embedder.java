package org.parallax.spark;

import java.util.Arrays;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.parallax.retrieval.EncoderAccess;
import org.parallax.retrieval.dense.E5Encoder;

/**
 * Spark ML transformer: the e5 embedding of a string column as {@code array<float>} (unit norm),
 * through the encoder {@code retrieval index} uses: the bundled e5-small-v2-q, or the e5-style
 * model directory in {@code modelPath} (any Hadoop URI). {@code kind} {@code query} (default) or
 * {@code passage} picks e5's prefix. Each partition is encoded {@value #CHUNK} texts per call,
 * sorted by length into batches of {@code batchSize} (0, the default: the jobs' rule, 32 on a GPU
 * and 1 on a CPU, so vectors equal those the index job stores); the model is loaded once on the
 * driver (a wrong path fails there) and once per executor JVM, on the GPU when DJL sees one.
 * Null text: null. Persists with its params ({@code MLWritable}, {@link #read()}).
 */
public final class E5Embedder extends ColumnTransformer {
  private static final long serialVersionUID = 1L;
  static final int CHUNK = 256;
  private final Param<String> kind = new Param<>(this, "kind", "query or passage: e5's prefix",
      ParamValidators.inArray(new String[] {"query", "passage"}));
  private final Param<String> modelPath = new Param<>(this, "modelPath",
      "e5-style model directory (tokenizer.json and one *.onnx or *.pt); empty: the bundled "
      + "e5-small-v2-q");
  private final IntParam batchSize = new IntParam(this, "batchSize", "texts per model call; 0: "
      + "32 on a GPU, 1 on a CPU", ParamValidators.inRange(0, 4096));

  public E5Embedder() {
    this(Identifiable$.MODULE$.randomUID("e5Embedder"));
  }

  public E5Embedder(String uid) {
    super(uid, "text", "embedding");
    setDefault(kind, "query");
    setDefault(modelPath, "");
    setDefault(batchSize, 0);
  }

  public E5Embedder setInputCol(String v) {
    set(inputCol(), v);
    return this;
  }

  public E5Embedder setOutputCol(String v) {
    set(outputCol(), v);
    return this;
  }

  public E5Embedder setKind(String v) {
    set(kind, v);
    return this;
  }

  public E5Embedder setModelPath(String v) {
    set(modelPath, v);
    return this;
  }

  public E5Embedder setBatchSize(int v) {
    set(batchSize, v);
    return this;
  }

  public Param<String> kind() {
    return kind;
  }

  public Param<String> modelPath() {
    return modelPath;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  @Override
  DataType outputType() {
    return EmbedFunction.VECTOR;
  }

  @Override
  int chunk() {
    return CHUNK;
  }

  @Override
  ColumnBatches.Opener opener() {
    String prefix = EmbedFunction.prefix("E5Embedder", $(kind));
    String uri = $(modelPath).isEmpty() ? null : $(modelPath);
    EncoderAccess access;
    try {
      access = EncoderAccess.resolve(uri, 1, (Integer) getOrDefault(batchSize), null,
          SparkSession.active().sessionState().newHadoopConf());
    } catch (RuntimeException e) {
      throw FunctionArguments.failure("E5Embedder", "modelPath '" + $(modelPath) + "'", e);
    }
    return () -> {
      E5Encoder encoder = access.open();
      int batch = access.batchSize(encoder);
      return texts -> Arrays.asList(encoder.encode(texts, prefix, batch));
    };
  }

  public static MLReader<E5Embedder> read() {
    return new DefaultParamsReader<>();
  }

  public static E5Embedder load(String path) {
    return read().load(path);
  }

}
