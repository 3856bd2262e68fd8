package org.parallax.retrieval.dense;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.parallax.common.ContentKeyedCache;

/**
 * An e5-style text encoder run through DJL: the texts, each given its e5 prefix ({@link #PASSAGE}
 * or {@link #QUERY}), are tokenised with the model's HuggingFace {@code tokenizer.json} (at most
 * {@link #MAX_TOKENS} tokens), sorted by length and run in batches through the model (inputs
 * {@code input_ids}, {@code attention_mask}, {@code token_type_ids}; output 0 the last hidden
 * state {@code [batch, tokens, dim]}), mean-pooled over the attention mask and L2-normalised, as
 * the e5 models are meant to be used. The model directory holds {@code tokenizer.json} and one
 * ONNX model ({@code *.onnx}, ONNX Runtime engine) or TorchScript model ({@code *.pt}, PyTorch
 * engine); it runs on the GPU when the engine sees one. Loaded once per JVM and content through
 * {@link #get}; thread-safe (each call takes its own predictor of the shared model).
 */
public final class E5Encoder implements Closeable {
  public static final String PASSAGE = "passage: ";
  public static final String QUERY = "query: ";
  public static final int MAX_TOKENS = 512;
  private static final ContentKeyedCache<E5Encoder> LOADED =
      new ContentKeyedCache<>(E5Encoder::close);
  private final ZooModel<NDList, NDList> model;
  private final HuggingFaceTokenizer tokenizer;
  private final Device device;
  private final int dimension;

  /** Loads the model in {@code dir}; ONNX Runtime runs it with {@code threads} intra-op threads. */
  public E5Encoder(Path dir, int threads) {
    Path modelFile = modelFile(dir);
    boolean onnx = modelFile.getFileName().toString().endsWith(".onnx");
    String engine = onnx ? "OnnxRuntime" : "PyTorch";
    this.device = Engine.getEngine(engine).getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    String name = modelFile.getFileName().toString().replaceFirst("\\.(onnx|pt)$", "");
    try {
      this.tokenizer = HuggingFaceTokenizer.builder()
          .optTokenizerPath(dir.resolve("tokenizer.json"))
          .optMaxLength(MAX_TOKENS).optTruncation(true).optPadding(false)
          .optAddSpecialTokens(true).build();
      Criteria.Builder<NDList, NDList> c = Criteria.builder().setTypes(NDList.class, NDList.class)
          .optModelPath(dir).optModelName(name).optEngine(engine).optDevice(device)
          .optTranslator(new NoopTranslator());
      if (onnx) {
        c = c.optOption("intraOpNumThreads", Integer.toString(threads))
            .optOption("interOpNumThreads", "1");
      }
      this.model = c.build().loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new IllegalStateException("cannot load the encoder in " + dir + ": " + e.getMessage(),
          e);
    }
    this.dimension = encode(List.of("dimension probe"), QUERY, 1)[0].length;
  }

  /**
   * The encoder in local directory {@code dir} with content {@code fingerprint}, loaded on first
   * use in this JVM (a model replaced at the same path is loaded anew).
   */
  public static E5Encoder get(Path dir, String fingerprint, int threads) {
    Path d = dir.toAbsolutePath().normalize();
    return LOADED.get(d + "|" + threads, fingerprint, () -> new E5Encoder(d, threads));
  }

  /** The one {@code *.onnx} or {@code *.pt} file of {@code dir}. */
  static Path modelFile(Path dir) {
    if (!Files.isRegularFile(dir.resolve("tokenizer.json"))) {
      throw new IllegalArgumentException("encoder directory " + dir + " has no tokenizer.json");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> models = files.filter(p -> p.toString().endsWith(".onnx")
          || p.toString().endsWith(".pt")).sorted().toList();
      if (models.size() != 1) {
        throw new IllegalArgumentException("encoder directory " + dir + " must hold exactly one "
            + "model file (*.onnx or TorchScript *.pt), found " + models);
      }
      return models.get(0);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot list encoder directory " + dir, e);
    }
  }

  public int dimension() {
    return dimension;
  }

  /** {@code gpu(0)} or {@code cpu()}: where the model runs. */
  public String device() {
    return device.toString();
  }

  /**
   * Unit-norm embeddings of {@code texts}, each prefixed with {@code prefix}, in input order;
   * computed in batches of up to {@code batchSize} texts of similar length.
   */
  public float[][] encode(List<String> texts, String prefix, int batchSize) {
    return encode(texts, prefix, batchSize, done -> { });
  }

  /** As {@link #encode(List, String, int)}, telling {@code progress} the texts done per batch. */
  public float[][] encode(List<String> texts, String prefix, int batchSize,
      java.util.function.IntConsumer progress) {
    int n = texts.size();
    Encoding[] enc = new Encoding[n];
    for (int i = 0; i < n; i++) {
      enc[i] = tokenizer.encode(prefix + texts.get(i));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> enc[i].getIds().length));
    float[][] out = new float[n][];
    try (Predictor<NDList, NDList> predictor = model.newPredictor()) {
      for (int start = 0; start < n; start += batchSize) {
        int end = Math.min(n, start + batchSize);
        Integer[] batch = Arrays.copyOfRange(order, start, end);
        float[][] vectors = run(predictor, enc, batch);
        for (int b = 0; b < batch.length; b++) {
          out[batch[b]] = vectors[b];
        }
        progress.accept(batch.length);
      }
    } catch (TranslateException e) {
      throw new IllegalStateException("encoder inference failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** One batch: padded to its longest text, run, mean-pooled over the mask, normalised. */
  private float[][] run(Predictor<NDList, NDList> predictor, Encoding[] enc, Integer[] batch)
      throws TranslateException {
    int b = batch.length;
    int t = 0;
    for (int i : batch) {
      t = Math.max(t, enc[i].getIds().length);
    }
    long[] ids = new long[b * t];
    long[] mask = new long[b * t];
    long[] types = new long[b * t];
    for (int r = 0; r < b; r++) {
      long[] id = enc[batch[r]].getIds();
      long[] type = enc[batch[r]].getTypeIds();
      System.arraycopy(id, 0, ids, r * t, id.length);
      System.arraycopy(type, 0, types, r * t, type.length);
      Arrays.fill(mask, r * t, r * t + id.length, 1L);
    }
    try (NDManager m = NDManager.newBaseManager(device, model.getNDManager().getEngine()
        .getEngineName())) {
      Shape shape = new Shape(b, t);
      NDArray a = m.create(ids, shape);
      a.setName("input_ids");
      NDArray am = m.create(mask, shape);
      am.setName("attention_mask");
      NDArray tt = m.create(types, shape);
      tt.setName("token_type_ids");
      NDArray hidden = predictor.predict(new NDList(a, am, tt)).get(0);
      int dim = (int) hidden.getShape().get(2);
      return pool(hidden.toFloatArray(), mask, b, t, dim);
    }
  }

  private static float[][] pool(float[] hidden, long[] mask, int b, int t, int dim) {
    float[][] out = new float[b][dim];
    for (int r = 0; r < b; r++) {
      double[] sum = new double[dim];
      int count = 0;
      for (int j = 0; j < t; j++) {
        if (mask[r * t + j] == 0) {
          continue;
        }
        count++;
        int base = (r * t + j) * dim;
        for (int d = 0; d < dim; d++) {
          sum[d] += hidden[base + d];
        }
      }
      for (int d = 0; d < dim; d++) {
        out[r][d] = (float) (sum[d] / Math.max(1, count));
      }
      DenseMath.normalize(out[r]);
    }
    return out;
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
