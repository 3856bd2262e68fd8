package org.parallax.rollout;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.Charts;
import org.parallax.common.HtmlReport;
import org.parallax.common.JobContext;

/**
 * The paper's metrics of a rollout run, overall and per {@code data_source}: exact match,
 * substring exact match and token F1 (over questions with gold answers), searches per question,
 * valid-action rate, the share of questions whose retrieved passages contained an answer, and
 * counts of invalid questions and questions without gold answers. Into the job report, a chart
 * ({@code metrics.png}) and {@code report.html}.
 */
final class RolloutMetrics {
  static final String[] NAMES = {"questions", "scored", "invalid_questions", "no_gold", "answered",
    "em", "subem", "f1", "searches", "valid_action_rate", "retrieved_has_answer"};
  private final JobContext ctx;
  private final RolloutOptions o;

  RolloutMetrics(JobContext ctx, RolloutOptions o) {
    this.ctx = ctx;
    this.o = o;
  }

  void report(Dataset<Row> rollouts) {
    Column[] aggs = aggregates();
    Map<String, Object> overall = values(rollouts.agg(aggs[0], rest(aggs)).first(), 0);
    Map<String, Map<String, Object>> bySource = new LinkedHashMap<>();
    for (Row r : rollouts.groupBy("data_source").agg(aggs[0], rest(aggs)).orderBy("data_source")
        .collectAsList()) {
      bySource.put(r.getString(0), values(r, 1));
    }
    ctx.report().metric("overall", overall).metric("by_data_source", bySource)
        .count("questions", (Long) overall.get("questions"))
        .count("invalid_questions", (Long) overall.get("invalid_questions"))
        .count("no_gold", (Long) overall.get("no_gold"))
        .config("mode", o.mode()).config("policy", o.policy().kind())
        .output("rollouts", ctx.out().finalPath("rollouts"))
        .output("chart", ctx.out().finalPath("metrics.png"))
        .output("html", ctx.out().finalPath("report.html"));
    List<String> sources = new ArrayList<>(bySource.keySet());
    sources.add("overall");
    Map<String, List<Double>> series = new LinkedHashMap<>();
    for (String m : new String[] {"em", "subem", "f1"}) {
      List<Double> v = new ArrayList<>();
      for (String s : sources) {
        Object x = s.equals("overall") ? overall.get(m) : bySource.get(s).get(m);
        v.add(x == null ? 0.0 : (Double) x);
      }
      series.put(m, v);
    }
    byte[] png = Charts.bars("Search-R1 rollouts (" + o.mode() + ", " + o.policy().kind() + ")",
        "data_source", "score", sources, series);
    ctx.out().writeBytes("metrics.png", png);
    HtmlReport html = new HtmlReport("rollout eval: " + o.mode() + " with " + o.policy().kind());
    List<List<String>> rows = new ArrayList<>();
    bySource.forEach((s, v) -> rows.add(row(s, v)));
    rows.add(row("overall", overall));
    List<String> header = new ArrayList<>(List.of("data_source"));
    header.addAll(List.of(NAMES));
    html.table(header, rows).image("metrics", png);
    ctx.out().writeText("report.html", html.render());
  }

  private static Column[] aggregates() {
    return new Column[] {
      count(lit(1)),
      sum(when(col("em").isNotNull(), 1).otherwise(0)),
      sum(when(col("status").equalTo("invalid_question"), 1).otherwise(0)),
      sum(when(col("golden_answers").isNull().or(size(col("golden_answers")).equalTo(0)), 1)
          .otherwise(0)),
      sum(when(col("status").equalTo("answered"), 1).otherwise(0)),
      avg("em"), avg("subem"), avg("f1"), avg("searches"),
      sum("valid_actions").divide(sum("actions")),
      avg(col("retrieved_has_answer").cast("double"))};
  }

  private static Column[] rest(Column[] aggs) {
    return java.util.Arrays.copyOfRange(aggs, 1, aggs.length);
  }

  private static Map<String, Object> values(Row r, int offset) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < NAMES.length; i++) {
      Object v = r.get(offset + i);
      m.put(NAMES[i], v instanceof Number n && i < 5 ? (Object) n.longValue() : v);
    }
    return m;
  }

  private static List<String> row(String name, Map<String, Object> v) {
    List<String> out = new ArrayList<>(List.of(name));
    for (String n : NAMES) {
      Object x = v.get(n);
      out.add(x instanceof Double d ? String.format("%.3f", d) : String.valueOf(x));
    }
    return out;
  }
}
