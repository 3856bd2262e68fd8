package org.parallax.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.Charts;
import org.parallax.common.CommonOptions;
import org.parallax.common.HtmlReport;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import org.parallax.avinfo.StatsJob;
import org.parallax.avinfo.StatsOptions;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.recsys.EvalJob;
import org.parallax.recsys.EvalOptions;
import org.parallax.recsys.FeaturesJob;
import org.parallax.recsys.GraphJob;
import org.parallax.recsys.GraphOptions;
import org.parallax.recsys.LightGcnOptions;
import org.parallax.recsys.PipelineOptions;
import org.parallax.recsys.RecsysDefaults;
import org.parallax.recsys.TrainJob;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.HotpotQaImportJob;
import org.parallax.retrieval.HotpotQaOptions;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import org.parallax.retrieval.SearchJob;
import org.parallax.retrieval.SearchOptions;
import org.parallax.rollout.PolicySpec;
import org.parallax.rollout.RolloutJob;
import org.parallax.rollout.RolloutOptions;

/**
 * {@code demo}: runs every area that exists on generated data, each job through the same
 * conventions a user's run goes through, and writes one {@code report.html} with their numbers
 * and charts. Each job's own output and {@code _report.json} stay under the demo directory.
 */
public final class Demo {
  private final SparkSession spark;
  private final DemoOptions o;
  /** The demo's ALS is smaller than the default (rank, iterations), for time; figures say so. */
  private static final int DEMO_ALS_RANK = 16;
  private static final int DEMO_ALS_ITERATIONS = 5;
  private static final List<String> BASELINES = List.of("popularity", "past_visits", "als");
  private static final List<String> ROLLOUT_MODES = List.of("direct", "rag", "search-r1");
  private final Map<String, JobReport> reports = new LinkedHashMap<>();

  public Demo(SparkSession spark, DemoOptions options) {
    this.spark = spark;
    this.o = options;
  }

  /** Runs the demo and returns the path of {@code report.html}. */
  public Path run() {
    String root = Path.of(o.out()).toAbsolutePath().toString();
    datagen("recsys", root, (long) (40_000 * o.scale()));
    String recsysGraph = root + "/recsys/graph";
    run("recsys graph", new GraphJob(), new GraphOptions(common(recsysGraph),
        root + "/data/recsys/interactions", "parquet", root + "/data/recsys/users",
        root + "/data/recsys/items", 7, 20, null, null));
    recsysModel("generated", root + "/recsys", 7);
    Path movieLens = DemoData.movieLens();
    if (movieLens != null) {
      // MovieLens latest-small, read where it is: ratings as interactions, a 90-day window.
      run("recsys graph movielens", new GraphJob(), new GraphOptions(
          common(root + "/recsys/movielens/graph"), movieLens.toString(), "csv", null, null, 90, 8,
          Map.of("user_id", "userId", "item_id", "movieId", "ts", "timestamp", "weight",
              "rating"), null));
      recsysModel("movielens", root + "/recsys/movielens", 90);
    }
    datagen("retrieval", root, (long) (5_000 * o.scale()));
    retrievalRun("generated", root, root + "/data/retrieval/corpus", root + "/data/retrieval/qa");
    Path hotpot = DemoData.hotpotQa();
    if (hotpot != null) {
      run("retrieval import-hotpotqa", new HotpotQaImportJob(), new HotpotQaOptions(
          common(root + "/data/hotpotqa"), hotpot.toString()));
      retrievalRun("hotpotqa", root, root + "/data/hotpotqa/corpus", root + "/data/hotpotqa/qa");
    }
    datagen("avinfo", root, (long) (100_000 * o.scale()));
    run("avinfo stats", new StatsJob(), new StatsOptions(common(root + "/avinfo/stats"),
        root + "/data/avinfo/frames", "parquet", 2, 20, 0.95));
    Path html = Path.of(root, "report.html");
    write(html, render(root));
    return html;
  }

  /**
   * Features, ContextGNN training and evaluation against the baselines of the graph in
   * {@code dir/graph}, with the stage settings of {@code recsys pipeline}.
   */
  private void recsysModel(String name, String dir, int windowDays) {
    PipelineOptions p = new PipelineOptions(common(dir), null, null, null, null, null,
        windowDays, 0, RecsysDefaults.integer(RecsysDefaults.FANOUT),
        RecsysDefaults.integer(RecsysDefaults.DIM), RecsysDefaults.integer(RecsysDefaults.EPOCHS),
        RecsysDefaults.integer(RecsysDefaults.K), DEMO_ALS_RANK, DEMO_ALS_ITERATIONS, false, null,
        LightGcnOptions.DEFAULT);
    run("recsys features " + name, new FeaturesJob(), p.features());
    run("recsys train " + name, new TrainJob(), p.train());
    run("recsys eval " + name, new EvalJob(), new EvalOptions(common(p.stage("eval")),
        p.stage("graph"), "test", p.k(), windowDays, DEMO_ALS_RANK, BASELINES, p.stage("model"),
        RecsysDefaults.integer(RecsysDefaults.BATCH_USERS),
        RecsysDefaults.integer(RecsysDefaults.BLOCK_ITEMS), DEMO_ALS_ITERATIONS,
        LightGcnOptions.DEFAULT));
  }

  /**
   * Indexes a corpus in 2 shards, searches its questions (top 10) and runs the extractive
   * policy's rollouts in the three modes.
   */
  private void retrievalRun(String name, String root, String corpus, String qa) {
    String index = root + "/retrieval/" + name + "/index";
    run("retrieval index " + name, new IndexJob(), new IndexOptions(common(index), corpus,
        "jsonl", 2, 64, AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, null));
    run("retrieval search " + name, new SearchJob(), new SearchOptions(
        common(root + "/retrieval/" + name + "/search"), index, qa, "jsonl", 10, "question", null));
    for (String mode : ROLLOUT_MODES) {
      run("rollout eval " + name + " " + mode, new RolloutJob(), new RolloutOptions(
          common(root + "/rollout/" + name + "/" + mode), qa, "jsonl", index, mode,
          new PolicySpec("extractive", null, "none", 500, 1, 0, 60, 64, null), 4, 3, 4096,
          RolloutOptions.DEFAULT_INFO_TOKENS, null, false, null));
    }
  }

  private void datagen(String area, String root, long scale) {
    run("datagen " + area, new DatagenJob(area),
        new DatagenOptions(area, common(root + "/data/" + area), scale, "parquet"));
  }

  private <O extends org.parallax.common.JobOptions> void run(String name,
      org.parallax.common.Job<O> job, O options) {
    JobReport report = JobRunner.run(spark, job, options);
    reports.put(name, report);
    // The demo runs for minutes: one line per job says how far it is.
    System.err.printf("[parallax demo] %d jobs done: %s %s in %.1fs%n", reports.size(), name,
        report.status, report.seconds);
  }

  private CommonOptions common(String out) {
    return CommonOptions.replacing(out, o.seed());
  }

  private String render(String root) {
    HtmlReport html = new HtmlReport("parallax demo");
    html.paragraph("Every job below ran on embedded Spark through the same CLI conventions as a "
        + "cluster run: validated inputs, staged outputs committed with _SUCCESS, a _report.json "
        + "per job. Outputs are under " + root + ".");
    jobsTable(html);
    recsys(html, root);
    retrieval(html, root);
    rollouts(html);
    avinfo(html, root);
    return html.render();
  }

  private void jobsTable(HtmlReport html) {
    html.heading("Jobs");
    List<List<String>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Double> seconds = new ArrayList<>();
    reports.forEach((name, r) -> {
      rows.add(List.of(name, r.status, String.format("%.1f", r.seconds),
          Long.toString(r.quarantinedRows()), counts(r.counts)));
      names.add(name);
      seconds.add(r.seconds);
    });
    html.table(List.of("job", "status", "seconds", "quarantined rows", "counts"), rows);
    html.image("job wall time", Charts.bars("Job wall time", "job", "seconds", names,
        Map.of("seconds", seconds)));
  }

  /** A job's counts as a reader writes them: "users 1,600 · items 200". */
  static String counts(Map<String, Object> counts) {
    List<String> parts = new ArrayList<>();
    counts.forEach((k, v) -> parts.add(k.replace('_', ' ') + " "
        + (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
            ? String.format(java.util.Locale.ROOT, "%,d", n.longValue()) : String.valueOf(v))));
    return String.join(" \u00b7 ", parts);
  }

  private void recsys(HtmlReport html, String root) {
    JobReport graph = reports.get("recsys graph");
    html.heading("Recommendation graph (ContextGNN input)");
    html.paragraph("Generated interactions with planted repeat consumption and co-preference "
        + "clusters, turned into a GraphFrames-shaped graph and a RelBench temporal split.");
    List<List<String>> rows = new ArrayList<>();
    graph.counts.forEach((k, v) -> rows.add(List.of(k, String.valueOf(v))));
    graph.metrics.forEach((k, v) -> rows.add(List.of(k, format(v))));
    html.table(List.of("graph", "value"), rows);
    List<String> splits = new ArrayList<>();
    List<Double> users = new ArrayList<>();
    for (Row r : spark.read().parquet(root + "/recsys/graph/labels").groupBy("split", "window")
        .count().orderBy("window").collectAsList()) {
      splits.add(r.getString(0) + " w" + r.getInt(1));
      users.add((double) r.getLong(2));
    }
    html.image("labelled users per window", Charts.bars("Users with labels per window",
        "split and window", "users", splits, Map.of("users", users)));
    recsysEval(html);
  }

  @SuppressWarnings("unchecked")
  private void recsysEval(HtmlReport html) {
    JobReport train = reports.get("recsys train generated");
    Object epochs = train == null ? null : train.metrics.get("epochs_run");
    html.paragraph("ContextGNN (trained with recsys train"
        + (epochs == null ? "" : ", " + epochs + " epochs on the generated log")
        + ") against its two halves and the baselines on the test window (RelBench MAP@12: "
        + "average precision divided by min(|truth|, 12), over users with labels): generated "
        + "interactions (7-day window)" + (reports.containsKey("recsys eval movielens")
            ? " and MovieLens latest-small ratings (90-day window)."
            : ". MovieLens latest-small was not run: it may not be redistributed; set "
                + DemoData.MOVIELENS_VARIABLE + " to a copy of its folder to add its rows."));
    List<List<String>> rows = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Map<String, List<Double>> map = new LinkedHashMap<>();
    for (String data : List.of("generated", "movielens")) {
      JobReport eval = reports.get("recsys eval " + data);
      if (eval == null) {
        continue;
      }
      Map<String, Map<String, Double>> methods =
          (Map<String, Map<String, Double>>) eval.metrics.get("methods");
      List<Double> values = new ArrayList<>();
      methods.forEach((name, m) -> {
        rows.add(List.of(data, name, String.valueOf(eval.counts.get("evaluated_users")),
            format(m.get("map@12")), format(m.get("recall@12")), format(m.get("ndcg@12")),
            format(m.get("coverage"))));
        values.add(m.get("map@12"));
      });
      if (names.isEmpty()) {
        names.addAll(methods.keySet());
      }
      map.put(data, values);
    }
    html.table(List.of("interactions", "method", "users", "MAP@12", "recall@12", "NDCG@12",
        "coverage"), rows);
    html.image("recsys MAP@12", Charts.bars("MAP@12: ContextGNN and baselines", "method", "MAP@12",
        names, map));
  }

  private void retrieval(HtmlReport html, String root) {
    JobReport gen = reports.get("datagen retrieval");
    html.heading("Retrieval: sharded Lucene BM25 (Search-R1)");
    html.paragraph(String.format("%s generated passages in wiki-18 JSONL format and %s questions "
        + "whose answers are planted in known passages, indexed in 2 shards and searched with "
        + "exact global BM25 (Anserini analyzer, k1=0.9, b=0.4). Answer recall@k: a question "
        + "counts when a top-k passage contains a gold answer (normalised, whole tokens).",
        gen.counts.get("passages"), gen.counts.get("questions")));
    List<String> cutoffs = new ArrayList<>();
    Map<String, List<Double>> recall = new LinkedHashMap<>();
    List<List<String>> rows = new ArrayList<>();
    for (int k : new int[] {1, 3, 5, 10}) {
      cutoffs.add("recall@" + k);
    }
    for (String name : List.of("generated", "hotpotqa")) {
      JobReport search = reports.get("retrieval search " + name);
      if (search == null) {
        continue;
      }
      JobReport index = reports.get("retrieval index " + name);
      List<Double> values = new ArrayList<>();
      for (String c : cutoffs) {
        values.add(((Number) search.metrics.getOrDefault(c, 0.0)).doubleValue());
      }
      recall.put(name, values);
      rows.add(List.of(name, String.valueOf(index.counts.get("documents")),
          String.valueOf(search.counts.get("queries")), format(values.get(0)),
          format(values.get(1)), format(values.get(2)), format(values.get(3)),
          format(((Number) search.metrics.get("queries_per_second")).doubleValue())));
    }
    html.table(List.of("corpus", "passages", "questions", "recall@1", "recall@3", "recall@5",
        "recall@10", "queries/s (whole job)"), rows);
    html.image("answer recall at k", Charts.bars("Answer recall@k", "cutoff", "recall",
        cutoffs, recall));
    List<String> sources = new ArrayList<>();
    List<Double> counts = new ArrayList<>();
    for (Row r : spark.read().json(root + "/data/retrieval/qa").groupBy("data_source").count()
        .orderBy("data_source").collectAsList()) {
      sources.add(r.getString(0));
      counts.add((double) r.getLong(1));
    }
    html.image("questions per data source", Charts.bars("Questions per data_source",
        "data_source", "questions", sources, Map.of("questions", counts)));
  }

  @SuppressWarnings("unchecked")
  private void rollouts(HtmlReport html) {
    html.heading("Search-R1 rollouts (extractive policy)");
    html.paragraph("Every question rolled out on Spark in the paper's three modes with the "
        + "model-free extractive reader: direct (no retrieval), rag (top-3 passages of the "
        + "question, then answer) and search-r1 (the multi-turn <search>/<information>/<answer> "
        + "protocol against the sharded index). Exact match as Search-R1 scores it.");
    List<List<String>> rows = new ArrayList<>();
    List<String> categories = new ArrayList<>();
    Map<String, List<Double>> em = new LinkedHashMap<>();
    for (String mode : ROLLOUT_MODES) {
      em.put(mode, new ArrayList<>());
    }
    for (String name : List.of("generated", "hotpotqa")) {
      if (!reports.containsKey("rollout eval " + name + " direct")) {
        continue;
      }
      categories.add(name);
      for (String mode : ROLLOUT_MODES) {
        Map<String, Object> m = (Map<String, Object>) reports.get("rollout eval " + name + " "
            + mode).metrics.get("overall");
        double e = ((Number) m.get("em")).doubleValue();
        em.get(mode).add(e);
        rows.add(List.of(name, mode, String.valueOf(m.get("questions")), format(e),
            format(((Number) m.get("f1")).doubleValue()),
            format(((Number) m.get("searches")).doubleValue()),
            format(((Number) m.get("retrieved_has_answer")).doubleValue())));
      }
    }
    html.table(List.of("questions from", "mode", "questions", "EM", "F1", "searches",
        "retrieved answer"), rows);
    html.image("rollout exact match", Charts.bars("Exact match by mode", "questions from",
        "EM", categories, em));
  }

  @SuppressWarnings("unchecked")
  private void avinfo(HtmlReport html, String root) {
    html.heading("Audio-visual information statistics");
    JsonNode truth = readJson(Path.of(root, "data/avinfo/truth.json"));
    JobReport stats = reports.get("avinfo stats");
    html.paragraph("Aligned audio, visual and text units drawn from a joint distribution with "
        + "known entropies (" + truth.get("model").asText() + "), estimated by avinfo stats from "
        + stats.counts.get("frames") + " frames: plug-in, Miller-Madow, the corrected estimate "
        + "with its 95% interval (the estimator named beside it) and a shuffled null per quantity (one modality taken from another "
        + "utterance, frame by frame). Bits.");
    Map<String, Map<String, Double>> measures =
        (Map<String, Map<String, Double>>) stats.metrics.get("measures");
    List<String> names = new ArrayList<>();
    List<Double> trueBits = new ArrayList<>();
    List<Double> estimated = new ArrayList<>();
    List<Double> nullBits = new ArrayList<>();
    List<List<String>> rows = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = truth.get("measures").fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      Map<String, Double> m = measures.get(e.getKey());
      names.add(e.getKey());
      trueBits.add(e.getValue().asDouble());
      estimated.add(m.get("miller_madow"));
      nullBits.add(m.get("null_miller_madow"));
      rows.add(List.of(e.getKey(), String.format("%.4f", e.getValue().asDouble()),
          String.format("%.4f", m.get("plug_in")), String.format("%.4f", m.get("miller_madow")),
          String.format("%.4f", m.get("corrected")), String.format("[%.4f, %.4f]",
              m.get("corrected_ci_low"), m.get("corrected_ci_high")),
          String.valueOf(((Map<String, String>) stats.metrics.get("corrected_by"))
              .get(e.getKey())),
          String.format("%.4f", m.get("null_miller_madow"))));
    }
    html.table(List.of("measure", "truth", "plug-in", "Miller-Madow", "corrected",
        "corrected 95% interval", "corrected by", "null (MM)"), rows);
    Map<String, List<Double>> series = new LinkedHashMap<>();
    series.put("truth", trueBits);
    series.put("Miller-Madow", estimated);
    series.put("shuffled null", nullBits);
    html.image("information measures", Charts.bars("Entropies and informations: truth, "
        + "estimate, null", "measure", "bits", names, series));
    Path venn = Path.of(root, "avinfo/stats/venn.png");
    if (Files.exists(venn)) {
      try {
        html.image("information diagram", Files.readAllBytes(venn));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + venn, e);
      }
    }
  }

  private static String format(Object v) {
    return v instanceof Double d ? String.format("%.3f", d) : String.valueOf(v);
  }

  private static JsonNode readJson(Path p) {
    try {
      return JobReport.parse(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(p, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }
}
