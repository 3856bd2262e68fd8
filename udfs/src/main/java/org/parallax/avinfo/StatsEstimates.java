package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every estimate, interval and null that {@code avinfo stats} reports for one corpus, from count
 * tables only: the whole joint table, the bootstrap replicates (utterances reweighted), the
 * delete-one-utterance {@link Jackknife} and the shuffled tables of {@link NullPairing}. The Spark
 * job and the tests' in-memory simulation ({@code UtteranceFrames}) both hand their tables to this
 * class. The fields per quantity ({@code plug_in}, {@code miller_madow}, {@code
 * bootstrap_corrected}, {@code jackknife}, {@code null_subtracted}, {@code corrected}, each with
 * {@code _ci_low}/{@code _ci_high}; nulls, spreads, effective frames) are defined in
 * docs/avinfo.md.
 */
public final class StatsEstimates {
  /**
   * The null-subtracted interval: the null varies at most as much as the estimate, so the
   * difference at most sqrt(2) times as much.
   */
  private static final double SQRT2 = Math.sqrt(2);
  private final JointCounts total;
  private final double confidence;
  private final EntropyProfile[] point;
  private final List<double[]> plugInReplicates = new ArrayList<>();
  private final List<double[]> millerMadowReplicates = new ArrayList<>();
  private final Map<NullPairing, EntropyProfile[]> nulls = new EnumMap<>(NullPairing.class);
  private Jackknife jackknife;

  /** Estimates of {@code total}, intervals at two-sided level {@code confidence}. */
  public StatsEstimates(JointCounts total, double confidence) {
    if (!(confidence > 0 && confidence < 1)) {
      throw new IllegalArgumentException("confidence must be in (0, 1), got " + confidence);
    }
    this.total = total;
    this.confidence = confidence;
    this.point = total.profiles();
  }

  /** Adds bootstrap replicates, each a reweighted joint table (empty ones skipped). */
  public StatsEstimates bootstrap(Iterable<JointCounts> replicates) {
    for (JointCounts r : replicates) {
      if (r.frames() > 0) {
        EntropyProfile[] p = r.profiles();
        plugInReplicates.add(p[0].values());
        millerMadowReplicates.add(p[1].values());
      }
    }
    return this;
  }

  /** Sets the delete-one-utterance jackknife (over at least two utterances to give intervals). */
  public StatsEstimates jackknife(Jackknife j) {
    this.jackknife = j;
    return this;
  }

  /** Utterances the jackknife left out (0 without one). */
  public long jackknifeUtterances() {
    return jackknife == null ? 0 : jackknife.utterances();
  }

  /** Sets the shuffled table of one null pairing. */
  public StatsEstimates nulls(NullPairing pairing, JointCounts shuffled) {
    nulls.put(pairing, shuffled.profiles());
    return this;
  }

  /** Every quantity's fields (see the class comment), in the unit of {@code base}. */
  public Map<String, Map<String, Double>> measures(double base) {
    double unit = Math.log(base);
    double z = normalQuantile(1 - (1 - confidence) / 2);
    double[] plugIn = point[0].values();
    double[] mm = point[1].values();
    double[] variance = frameVariances();
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    int q = 0;
    for (String name : EntropyProfile.NAMES) {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("plug_in", plugIn[q]);
      m.put("miller_madow", mm[q]);
      double[] pq = column(plugInReplicates, q);
      double[] mq = column(millerMadowReplicates, q);
      double sd = Double.NaN;
      if (pq.length >= 2) {
        double mean = Arrays.stream(pq).average().orElse(Double.NaN);
        sd = Math.sqrt(Arrays.stream(pq).map(x -> (x - mean) * (x - mean)).sum()
            / (pq.length - 1));
        m.put("plug_in_ci_low", low(pq));
        m.put("plug_in_ci_high", high(pq));
        m.put("miller_madow_ci_low", low(mq));
        m.put("miller_madow_ci_high", high(mq));
        m.put("bootstrap_corrected", 2 * plugIn[q] - mean);
        m.put("bootstrap_corrected_ci_low", 2 * plugIn[q] - high(pq));
        m.put("bootstrap_corrected_ci_high", 2 * plugIn[q] - low(pq));
        m.put("bootstrap_sd", sd);
      }
      double se = jackknife == null ? Double.NaN : jackknife.standardError(q);
      if (jackknife != null && jackknife.utterances() >= 2) {
        double j = jackknife.estimate(q);
        m.put("jackknife", j);
        m.put("jackknife_ci_low", j - z * se);
        m.put("jackknife_ci_high", j + z * se);
        m.put("jackknife_se", se);
      }
      EntropyProfile[] nul = nulls.get(NullPairing.of(name));
      if (nul != null) {
        double np = nul[0].values()[q];
        m.put("null_plug_in", np);
        m.put("null_miller_madow", nul[1].values()[q]);
        if (NullPairing.vanishesUnderNull(name)) {
          double sub = plugIn[q] - np;
          m.put("null_subtracted", sub);
          if (pq.length >= 2) {
            double mean = Arrays.stream(pq).average().orElse(Double.NaN);
            m.put("null_subtracted_ci_low", sub - SQRT2 * (high(pq) - mean));
            m.put("null_subtracted_ci_high", sub + SQRT2 * (mean - low(pq)));
          } else if (!Double.isNaN(se)) {
            m.put("null_subtracted_ci_low", sub - SQRT2 * z * se);
            m.put("null_subtracted_ci_high", sub + SQRT2 * z * se);
          }
        }
      }
      double spread = !Double.isNaN(sd) ? sd : se;
      if (spread > 0) {
        m.put("effective_frames", variance[q] / (spread * spread));
      }
      String by = correctedBy(name, m);
      if (by != null) {
        m.put("corrected", m.get(by));
        m.put("corrected_ci_low", m.get(by + "_ci_low"));
        m.put("corrected_ci_high", m.get(by + "_ci_high"));
      }
      m.replaceAll((k, v) -> k.equals("effective_frames") ? v : v / unit);
      out.put(name, m);
      q++;
    }
    return out;
  }

  /**
   * Per quantity, the estimator its {@code corrected} fields copy (absent where none was computed).
   */
  public Map<String, String> correctedBy() {
    Map<String, String> out = new LinkedHashMap<>();
    measures(Math.E).forEach((q, m) -> {
      String by = correctedBy(q, m);
      if (by != null) {
        out.put(q, by);
      }
    });
    return out;
  }

  /**
   * The estimator to read for {@code quantity}, the first of its preferences that {@code m} holds
   * with an interval: informations the null-subtracted estimate; H(A,V,T) and H(T|A,V), on the
   * sparse three-way table, the jackknife; other entropies the bootstrap-corrected one (choices
   * from the coverage simulation, docs/avinfo.md).
   */
  static String correctedBy(String quantity, Map<String, Double> m) {
    List<String> order;
    if (NullPairing.vanishesUnderNull(quantity)) {
      order = List.of("null_subtracted", "bootstrap_corrected", "jackknife");
    } else if (quantity.equals("H(A,V,T)") || quantity.equals("H(T|A,V)")) {
      order = List.of("jackknife", "bootstrap_corrected");
    } else {
      order = List.of("bootstrap_corrected", "jackknife");
    }
    for (String by : order) {
      if (m.containsKey(by + "_ci_low")) {
        return by;
      }
    }
    return null;
  }

  /**
   * The effective frames of H(A,V,T), whose influence function is never degenerate; NaN without a
   * bootstrap or jackknife.
   */
  public double effectiveFrames() {
    Double e = measures(Math.E).get("H(A,V,T)").get("effective_frames");
    return e == null ? Double.NaN : e;
  }

  /**
   * One line per pair or triple of variables whose possible cells exceed a fifth of the effective
   * frames, with its plug-in information bias ~ (Kx - 1)(Ky - 1) / 2N in the unit of {@code base}.
   */
  public List<String> warnings(double base) {
    double frames = effectiveFrames();
    String support = "effective frames";
    if (Double.isNaN(frames)) {
      frames = total.frames();
      support = "frames";
    }
    int[] k = total.vocabularies();
    String[] names = {"A", "V", "T"};
    int[][] tables = {{0, 1}, {0, 2}, {1, 2}, {0, 1, 2}};
    List<String> out = new ArrayList<>();
    for (int[] t : tables) {
      double cells = 1;
      double bias = 1;
      StringBuilder name = new StringBuilder();
      for (int i : t) {
        cells *= k[i];
        bias *= k[i] - 1;
        name.append(name.length() == 0 ? "" : ",").append(names[i]);
      }
      if (cells > frames / 5) {
        out.add(String.format("(%s) has %.0f possible cells for %.0f %s (under five per cell): "
            + "the plug-in information of these variables is biased by about %.4g %s; use the "
            + "corrected estimates and compare with the null", name, cells, frames, support,
            bias / (2 * frames) / Math.log(base),
            base == 2 ? "bits" : base == Math.E ? "nats" : "(log base " + base + ")"));
      }
    }
    return out;
  }

  /** Per quantity, N times the plug-in's variance were frames independent. */
  private double[] frameVariances() {
    double[] out = new double[Jackknife.QUANTITIES];
    int i = 0;
    for (double v : total.frameVariances().values()) {
      out[i++] = v;
    }
    return out;
  }

  private static double[] column(List<double[]> rows, int q) {
    double[] out = new double[rows.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = rows.get(i)[q];
    }
    Arrays.sort(out);
    return out;
  }

  private double low(double[] sorted) {
    return sorted[(int) Math.floor((1 - confidence) / 2 * (sorted.length - 1))];
  }

  private double high(double[] sorted) {
    return sorted[(int) Math.ceil((1 + confidence) / 2 * (sorted.length - 1))];
  }

  /** The standard normal quantile (Acklam's rational approximation, relative error 1e-9). */
  static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("probability must be in (0, 1), got " + p);
    }
    double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
      6.680131188771972e+01, -1.328068155288572e+01};
    double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
      3.754408661907416e+00};
    if (p < 0.02425 || p > 1 - 0.02425) {
      double r = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)));
      double x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
          / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
      return p < 0.5 ? x : -x;
    }
    double r = p - 0.5;
    double s = r * r;
    return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r
        / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
  }
}
