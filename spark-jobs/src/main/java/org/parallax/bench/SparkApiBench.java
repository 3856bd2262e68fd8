package org.parallax.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.retrieval.dense.BundledE5;
import org.parallax.retrieval.dense.E5Encoder;
import org.parallax.spark.E5Embedder;

/**
 * The Spark-native embedder on a user's DataFrame: {@link E5Embedder} (a partition read 256 texts
 * at a time, sorted by length, one encoder call per chunk) against a UDF that calls the model
 * once per row (the default of DJL's Spark extension, the anchor), and against the plainest
 * program, one DJL predictor in a loop on one thread. Same bundled e5, same texts, same run;
 * every contender's vectors are checked against the plain loop's.
 */
public final class SparkApiBench {
  private static final int PARTITIONS = 2;
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public SparkApiBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /** Runs the benchmark on {@code n} generated passages and returns its Markdown section. */
  public String run(long n) {
    Path data = work.resolve("data-" + n);
    JobRunner.run(spark, new DatagenJob("retrieval"), new DatagenOptions("retrieval",
        CommonOptions.replacing(data.toString(), seed), n, "jsonl"));
    Dataset<Row> texts = spark.read().json(data.resolve("corpus").toString())
        .select(functions.col("contents").as("text")).repartition(PARTITIONS).cache();
    List<String> all = new ArrayList<>();
    texts.collectAsList().forEach(r -> all.add(r.getString(0)));
    E5Encoder encoder = E5Encoder.get(BundledE5.directory(), BundledE5.fingerprint(), 1);
    // Warm-up: the model, the tokenizer and the JIT, for every contender alike.
    encoder.encode(all.subList(0, Math.min(32, all.size())), E5Encoder.QUERY, 1);
    encoder.encode(all.subList(0, Math.min(32, all.size())), E5Encoder.QUERY, 32);
    vectors(perRow(texts.limit(64)));
    vectors(new E5Embedder().setInputCol("text").transform(texts.limit(64)));

    Stopwatch.Timed<float[][]> plain = Stopwatch.time(() -> encoder.encode(all,
        E5Encoder.QUERY, 1));
    Stopwatch.Timed<float[][]> plain32 = Stopwatch.time(() -> encoder.encode(all,
        E5Encoder.QUERY, 32));
    Stopwatch.Timed<List<Row>> rowUdf = Stopwatch.time(() -> vectors(perRow(texts)));
    Stopwatch.Timed<List<Row>> embedder = Stopwatch.time(() -> vectors(new E5Embedder()
        .setInputCol("text").transform(texts)));
    Stopwatch.Timed<List<Row>> embedder32 = Stopwatch.time(() -> vectors(new E5Embedder()
        .setInputCol("text").setBatchSize(32).transform(texts)));

    BenchTable t = new BenchTable("contender", "texts", "seconds", "texts/s", "vs per-row UDF",
        "vs plain loop", "max abs diff to plain loop");
    double base = rowUdf.seconds();
    t.row("plain loop: one DJL predictor, 1 thread, one text per call", n, plain.seconds(),
        n / plain.seconds(), base / plain.seconds(), 1.0, 0.0);
    t.row("plain loop, 32 texts per call (length-sorted)", n, plain32.seconds(),
        n / plain32.seconds(), base / plain32.seconds(), plain.seconds() / plain32.seconds(),
        maxDiff(all, plain.value(), plain32.value()));
    t.row("Spark UDF, one model call per row (the anchor's default), " + PARTITIONS
        + " partitions", n, rowUdf.seconds(), n / rowUdf.seconds(), 1.0,
        plain.seconds() / rowUdf.seconds(), maxDiff(all, plain.value(), rowUdf.value()));
    t.row("E5Embedder, default (CPU: one text per model call, 256 per chunk)", n,
        embedder.seconds(), n / embedder.seconds(), base / embedder.seconds(),
        plain.seconds() / embedder.seconds(), maxDiff(all, plain.value(), embedder.value()));
    t.row("E5Embedder, setBatchSize(32)", n, embedder32.seconds(), n / embedder32.seconds(),
        base / embedder32.seconds(), plain.seconds() / embedder32.seconds(),
        maxDiff(all, plain.value(), embedder32.value()));
    return "## Spark-native API (E5Embedder on a DataFrame)\n\n"
        + "Generated passages (`datagen retrieval`, about 100 made-up words each) as a DataFrame "
        + "of " + PARTITIONS + " partitions, embedded with the bundled e5-small-v2-q (ONNX Runtime, "
        + "1 intra-op thread per model call) as query vectors; each contender after a warm-up "
        + "of every one, in the same JVM. The last column compares each text's vector with the "
        + "plain loop's: the bundled model is int8-quantized with dynamic activation scales, so a "
        + "vector depends on the batch it was computed in (hence one text per call on a CPU, the "
        + "index job's rule, so that vectors equal the index's).\n\n" + t.markdown() + "\n";
  }

  /** The anchor's way: a UDF that calls the model once per row. */
  private static Dataset<Row> perRow(Dataset<Row> texts) {
    // The model's location and content identity computed once, as the anchor loads its model
    // once per executor: each row pays the per-JVM cache lookup and one model call.
    String dir = BundledE5.directory().toString();
    String fingerprint = BundledE5.fingerprint();
    UDF1<String, float[]> embed = text -> text == null ? null : E5Encoder.get(Path.of(dir),
        fingerprint, 1).encode(List.of(text), E5Encoder.QUERY, 1)[0];
    return texts.withColumn("embedding", functions.udf(embed,
        DataTypes.createArrayType(DataTypes.FloatType)).apply(functions.col("text")));
  }

  private static List<Row> vectors(Dataset<Row> embedded) {
    return embedded.select("text", "embedding").collectAsList();
  }

  /** The largest difference of any component between {@code reference} and {@code got}. */
  private static double maxDiff(List<String> texts, float[][] reference, float[][] got) {
    double max = 0;
    for (int i = 0; i < texts.size(); i++) {
      for (int d = 0; d < reference[i].length; d++) {
        max = Math.max(max, Math.abs(reference[i][d] - got[i][d]));
      }
    }
    return max;
  }

  private static double maxDiff(List<String> texts, float[][] reference, List<Row> got) {
    java.util.Map<String, float[]> byText = new java.util.HashMap<>();
    for (Row r : got) {
      List<Float> v = r.getList(1);
      float[] f = new float[v.size()];
      for (int d = 0; d < f.length; d++) {
        f[d] = v.get(d);
      }
      byText.put(r.getString(0), f);
    }
    float[][] aligned = new float[texts.size()][];
    for (int i = 0; i < texts.size(); i++) {
      aligned[i] = byText.get(texts.get(i));
    }
    return maxDiff(texts, reference, aligned);
  }
}
