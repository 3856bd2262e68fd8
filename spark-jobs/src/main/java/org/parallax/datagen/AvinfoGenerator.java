package org.parallax.datagen;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.avinfo.EntropyProfile;
import org.parallax.common.JobContext;

/**
 * Aligned per-frame unit streams ({@code utterance_id, speaker_id, frame, audio_unit,
 * visual_unit, text_unit}) drawn from a joint distribution whose entropies are known exactly:
 * text units T are Zipf over {@code KT} phone-like classes; the visual unit is T's viseme class
 * ({@code T mod KV}) kept with probability {@code 1 - NOISE_V}, else uniform; the audio unit is T
 * kept with probability {@code 1 - NOISE_A}, else uniform over {@code KA}. A and V are thus
 * independent given T. Within an utterance each frame repeats the previous frame's triple with
 * probability {@code REPEAT}, as units do in speech, else draws afresh; the chain starts in and
 * keeps the joint distribution, so every frame's marginal is exactly the table whose entropies
 * are written to {@code truth.json} (bits).
 */
public final class AvinfoGenerator {
  static final int KT = 12;
  static final int KV = 5;
  static final int KA = 16;
  static final double NOISE_V = 0.2;
  static final double NOISE_A = 0.3;
  static final double REPEAT = 0.5;
  static final int MEAN_FRAMES = 75;

  private AvinfoGenerator() {}

  /** The joint pmf p[a][v][t]. */
  public static double[][][] joint() {
    Zipf zt = new Zipf(KT, 0.7);
    double[][][] p = new double[KA][KV][KT];
    for (int t = 0; t < KT; t++) {
      for (int v = 0; v < KV; v++) {
        double pv = NOISE_V / KV + (v == t % KV ? 1 - NOISE_V : 0);
        for (int a = 0; a < KA; a++) {
          double pa = NOISE_A / KA + (a == t ? 1 - NOISE_A : 0);
          p[a][v][t] = zt.probability(t) * pv * pa;
        }
      }
    }
    return p;
  }

  /** Samples (a, v, t) triples from the joint table by inverse CDF. */
  static final class Sampler implements Serializable {
    private static final long serialVersionUID = 1L;
    private final double[] cdf = new double[KA * KV * KT];

    Sampler(double[][][] p) {
      double total = 0;
      int i = 0;
      for (int a = 0; a < KA; a++) {
        for (int v = 0; v < KV; v++) {
          for (int t = 0; t < KT; t++) {
            total += p[a][v][t];
            cdf[i++] = total;
          }
        }
      }
      for (int j = 0; j < cdf.length; j++) {
        cdf[j] /= total;
      }
    }

    int[] sample(SplittableRandom r) {
      int i = Arrays.binarySearch(cdf, r.nextDouble());
      i = Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
      return new int[] {i / (KV * KT), (i / KT) % KV, i % KT};
    }
  }

  public static void generate(JobContext ctx, DatagenOptions o) {
    SparkSession spark = ctx.spark();
    long seed = ctx.options().seed();
    long utterances = Math.max(1, o.scale() / MEAN_FRAMES);
    long speakers = Math.max(2, utterances / 40);
    int parts = Seeds.partitions(o.scale(), spark.sparkContext().defaultParallelism());
    double[][][] p = joint();
    Sampler sampler = new Sampler(p);
    StructType frames = new StructType().add("utterance_id", DataTypes.StringType, false)
        .add("speaker_id", DataTypes.StringType, false)
        .add("frame", DataTypes.IntegerType, false)
        .add("audio_unit", DataTypes.IntegerType, false)
        .add("visual_unit", DataTypes.IntegerType, false)
        .add("text_unit", DataTypes.IntegerType, false);
    Dataset<Long> ids = spark.range(0, utterances, 1, parts).as(Encoders.LONG());
    ctx.report().time("frames", () -> TableWriter.write(ids.flatMap(
        (FlatMapFunction<Long, Row>) u -> utterance(seed, u, speakers, sampler).iterator(),
        Encoders.row(frames)), o.format(), ctx.out().path("frames")));
    ctx.report().count("utterances", utterances).count("speakers", speakers);

    Map<String, Object> truth = new LinkedHashMap<>();
    truth.put("area", "avinfo");
    truth.put("seed", seed);
    truth.put("unit", "bits");
    truth.put("utterances", utterances);
    truth.put("speakers", speakers);
    truth.put("k_text", KT);
    truth.put("k_visual", KV);
    truth.put("k_audio", KA);
    truth.put("noise_visual", NOISE_V);
    truth.put("noise_audio", NOISE_A);
    truth.put("repeat", REPEAT);
    truth.put("model", "T ~ Zipf(12, 0.7); V = T mod 5 w.p. 0.8 else uniform(5); "
        + "A = T w.p. 0.7 else uniform(16); frames repeat the previous triple w.p. 0.5");
    truth.put("measures", EntropyProfile.of(p, 2).asMap());
    ctx.out().writeText("truth.json", Json.write(truth));
  }

  /** Receives generated frames' units. */
  @FunctionalInterface
  public interface FrameConsumer {
    void accept(int audio, int visual, int text);
  }

  /**
   * Generates in this thread exactly the frames {@code datagen avinfo} writes for {@code scale}
   * and {@code seed} (same utterances, same draws), for in-memory baselines.
   */
  public static void forEachFrame(long seed, long scale, FrameConsumer out) {
    long utterances = Math.max(1, scale / MEAN_FRAMES);
    long speakers = Math.max(2, utterances / 40);
    Sampler sampler = new Sampler(joint());
    for (long u = 0; u < utterances; u++) {
      for (Row r : utterance(seed, u, speakers, sampler)) {
        out.accept(r.getInt(3), r.getInt(4), r.getInt(5));
      }
    }
  }

  static List<Row> utterance(long seed, long u, long speakers, Sampler sampler) {
    SplittableRandom r = Seeds.stream(seed, 20, u);
    int n = MEAN_FRAMES / 2 + r.nextInt(MEAN_FRAMES + 1);
    String id = "utt" + u;
    String speaker = "spk" + Math.floorMod(Seeds.mix(seed, u), speakers);
    List<Row> out = new ArrayList<>(n);
    int[] avt = sampler.sample(r);
    for (int f = 0; f < n; f++) {
      if (f > 0 && r.nextDouble() >= REPEAT) {
        avt = sampler.sample(r);
      }
      out.add(RowFactory.create(id, speaker, f, avt[0], avt[1], avt[2]));
    }
    return out;
  }
}
