package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parallax.common.Charts;
import org.parallax.common.HtmlReport;
import org.parallax.common.JobContext;
import org.parallax.common.VennChart;

/**
 * The readable side of {@code avinfo stats}: {@code report.html} with the information diagram
 * ({@code venn.png}, from the Miller-Madow estimates), the table of measures, a table and chart of
 * every estimate, interval and null, and the permutation tests.
 */
final class StatsReport {
  private StatsReport() {}

  static void write(JobContext ctx, Map<String, Map<String, Double>> measures, String unit,
      String[] names, String title, List<String> warnings, List<Significance> tests,
      int draws) {
    HtmlReport html = new HtmlReport(title);
    for (String w : warnings) {
      html.paragraph("Warning: " + w);
    }
    append(ctx, html, measures, unit, names);
    estimates(html, measures, unit);
    significance(html, tests, draws);
    ctx.out().writeText("report.html", html.render());
  }

  /** Adds the information diagram ({@code venn.png}) and the table of measures to {@code html}. */
  static void append(JobContext ctx, HtmlReport html, Map<String, Map<String, Double>> measures,
      String unit, String[] names) {
    double hA = mm(measures, "H(A)");
    double hV = mm(measures, "H(V)");
    double hT = mm(measures, "H(T)");
    double hAV = mm(measures, "H(A,V)");
    double hAT = mm(measures, "H(A,T)");
    double hVT = mm(measures, "H(V,T)");
    double hAVT = mm(measures, "H(A,V,T)");
    double[] regions = {hAVT - hVT, hAVT - hAT, hAVT - hAV, hAT + hVT - hT - hAVT,
        hAV + hVT - hV - hAVT, hAV + hAT - hA - hAVT, mm(measures, "I(A;V;T)")};
    String[] labels = new String[7];
    for (int i = 0; i < 7; i++) {
      labels[i] = String.format("%.3f", regions[i]);
    }
    byte[] png = VennChart.png("Information diagram (" + unit + ", Miller-Madow)", names,
        labels);
    ctx.out().writeBytes("venn.png", png);
    List<List<String>> rows = new ArrayList<>();
    measures.forEach((q, m) -> rows.add(List.of(q, f(m.get("plug_in")), f(m.get("miller_madow")),
        f(m.get("null_plug_in")), f(m.get("null_miller_madow")))));
    html.paragraph("Roles: A = " + names[0] + ", V = " + names[1] + ", T = " + names[2]
            + ". Regions: each set's entropy alone (H(A|V,T), ...), shared by two only "
            + "(I(A;V|T), ...) and by all three (the co-information I(A;V;T), which can be "
            + "negative). Unit: " + unit + ".")
        .image("information diagram", png)
        .table(List.of("measure", "plug-in", "Miller-Madow", "null plug-in",
            "null Miller-Madow"), rows);
  }

  /**
   * One table and one chart of every quantity's estimates, null and intervals; the chart draws the
   * corrected interval about its midpoint beside the corrected estimate.
   */
  static void estimates(HtmlReport html, Map<String, Map<String, Double>> measures,
      String unit) {
    String corrected = "corrected";
    List<List<String>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Double> estimate = new ArrayList<>();
    List<Double> fixed = new ArrayList<>();
    List<Double> middle = new ArrayList<>();
    List<Double> error = new ArrayList<>();
    List<Double> nul = new ArrayList<>();
    measures.forEach((q, m) -> {
      rows.add(List.of(q, f(m.get("plug_in")), f(m.get("corrected")), interval(m, "corrected_"),
          correctedBy(q, m), f(m.get("miller_madow")), f(m.get("jackknife")),
          interval(m, "jackknife_"), f(m.get("bootstrap_corrected")),
          interval(m, "bootstrap_corrected_"), f(m.get("null_subtracted")),
          interval(m, "null_subtracted_"), f(m.get("null_plug_in")),
          m.get("effective_frames") == null ? "" : String.format("%.0f",
              m.get("effective_frames"))));
      names.add(q);
      estimate.add(m.get("plug_in"));
      fixed.add(m.getOrDefault(corrected, Double.NaN));
      Double lo = m.get(corrected + "_ci_low");
      Double hi = m.get(corrected + "_ci_high");
      // Error bars are symmetric: the interval is drawn about its own midpoint, whiskers at
      // its ends, beside the estimate it was computed for.
      middle.add(lo == null ? Double.NaN : (lo + hi) / 2);
      error.add(lo == null ? 0 : (hi - lo) / 2);
      nul.add(m.getOrDefault("null_plug_in", Double.NaN));
    });
    html.heading("Estimates, bias corrections and nulls")
        .paragraph("Plug-in estimates are biased (upwards for informations, downwards for "
            + "entropies, by about (K-1)/2N per table of K cells). Corrected: Miller-Madow, the "
            + "delete-one-utterance jackknife (normal interval), the bootstrap bias correction "
            + "(2 x estimate - mean of replicates, basic bootstrap interval) and, for "
            + "informations, the estimate minus its shuffled null. The null of each quantity "
            + "shuffles one modality across utterances, frame by frame, or for I(A;V|T) V "
            + "among runs of frames with the same T (see null_pairings in the job report). "
            + "Corrected: the one to read, per quantity the estimator whose interval held the "
            + "truth in at least 90% of the coverage simulation's repetitions on every case "
            + "(corrected_by in the job report). Effective frames: independent frames that "
            + "would give the observed variance. Unit: " + unit + ".")
        .table(List.of("measure", "plug-in", "corrected", "corrected CI", "corrected by",
            "Miller-Madow",
            "jackknife", "jackknife CI",
            "bootstrap-corrected", "bootstrap-corrected CI", "null-subtracted",
            "null-subtracted CI", "null (plug-in)", "effective frames"), rows)
        .image("estimates and nulls", Charts.barsWithErrors("Plug-in, corrected (estimator per "
            + "measure in the table) with its interval, and null", "measure", unit, names,
            Map.of("plug-in", estimate, "null (plug-in)", nul, "corrected", fixed),
            "corrected interval (whiskers)", middle, error));
  }

  /** The whole corpus's permutation tests, one row per information. */
  static void significance(HtmlReport html, List<Significance> tests, int draws) {
    List<List<String>> rows = new ArrayList<>();
    tests.forEach(t -> rows.add(List.of(t.quantity(), String.format("%.4f", t.pValue()),
        String.format("%.4f", t.pBh()), t.significant() ? "yes" : "no")));
    html.heading("Significance")
        .paragraph(draws == 0 ? "No permutation tests were asked for (--null-replicates N "
            + "gives each information a p-value from N draws of its own null)."
            : tests.isEmpty() ? "No permutation test: a null needs two utterances."
            : "Each information against draws of its own null (the pairing above, drawn "
            + "anew each time): p-value = (1 + #{null plug-in >= observed plug-in}) / (N + 1), "
            + "Benjamini-Hochberg adjusted across these five tests (per speaker and per data "
            + "source: by_speaker/ and by_data_source/, adjusted across their groups' tests); "
            + "significant where the adjusted value is at most alpha (significance in the job "
            + "report).")
        .table(List.of("measure", "p-value", "p (BH)", "significant"), rows);
  }

  /** The estimator whose value and interval the corrected fields copy. */
  private static String correctedBy(String q, Map<String, Double> m) {
    String by = StatsEstimates.correctedBy(q, m);
    return by == null ? "" : by.replace('_', ' ');
  }

  private static String interval(Map<String, Double> m, String prefix) {
    Double lo = m.get(prefix + "ci_low");
    Double hi = m.get(prefix + "ci_high");
    return lo == null ? "" : String.format("[%.4f, %.4f]", lo, hi);
  }

  private static double mm(Map<String, Map<String, Double>> measures, String q) {
    return measures.get(q).get("miller_madow");
  }

  private static String f(Double v) {
    return v == null ? "" : String.format("%.4f", v);
  }
}
