package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parallax.common.HtmlReport;
import org.parallax.common.JobContext;
import org.parallax.common.VennChart;

/**
 * The readable side of {@code avinfo stats}: {@code report.html} with the information diagram of
 * the three modalities ({@code venn.png}: each modality's entropy split into the part it alone
 * holds, the parts it shares with one other modality only, and the co-information at the
 * centre, from the Miller-Madow estimates) and the table of every measure.
 */
final class StatsReport {
  private StatsReport() {}

  static void write(JobContext ctx, Map<String, Map<String, Double>> measures, String unit,
      String[] names, String title) {
    HtmlReport html = new HtmlReport(title);
    append(ctx, html, measures, unit, names);
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
        f(m.get("ci_low")), f(m.get("ci_high")), f(m.get("null_plug_in")),
        f(m.get("null_miller_madow")))));
    html.paragraph("Roles: A = " + names[0] + ", V = " + names[1] + ", T = " + names[2]
            + ". Regions: each set's entropy alone (H(A|V,T), ...), shared by two only "
            + "(I(A;V|T), ...) and by all three (the co-information I(A;V;T), which can be "
            + "negative). Unit: " + unit + ".")
        .image("information diagram", png)
        .table(List.of("measure", "plug-in", "Miller-Madow", "CI low", "CI high", "null plug-in",
            "null Miller-Madow"), rows);
  }

  private static double mm(Map<String, Map<String, Double>> measures, String q) {
    return measures.get(q).get("miller_madow");
  }

  private static String f(Double v) {
    return v == null ? "" : String.format("%.4f", v);
  }
}
