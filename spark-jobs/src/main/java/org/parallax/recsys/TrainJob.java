package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.common.Charts;
import org.parallax.common.HtmlReport;
import org.parallax.common.Job;
import org.parallax.common.DirectoryChecksum;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;

/**
 * {@code recsys train}: fits the ContextGNN scorer ({@link ContextGnnTrainer}) on the training
 * windows of a {@code recsys graph} output, each (user, training cutoff) an example of its local
 * subgraph (from {@code recsys features}) and its label items, and measures the loss on the
 * validation window after every epoch, with the validation MAP@k. Each example's items carry their
 * {@link ItemFeatures} at its cutoff ({@link ItemStatistics}, from the features output). The
 * model kept is the candidate with the best validation MAP@k ({@link EpochSelection}): every
 * epoch, and, evaluated before training, the block's exact reproductions of the popularity and
 * past-visits baselines (training starts from the better of the two); the report says which was
 * kept. Training stops after {@code --patience} epochs without a better validation MAP@k.
 * Training runs on the driver (DJL, the GPU when present); examples are written once as Parquet
 * ({@link ExampleFiles}) and streamed from the files epoch by epoch, so the driver holds a file's
 * worth of them, not all (optionally sampled down to {@code --max-examples}); a background thread
 * reads, batches and prepares the next batches' arrays while the current batch steps ({@link
 * #pass}). Writes {@code model/} ({@code contextgnn.json},
 * {@code catalogue.bin}, parameters), the per-epoch losses and MAP@k in the report, {@code
 * loss.png} and {@code report.html}.
 */
public final class TrainJob implements Job<TrainOptions> {
  /** Batches prepared ahead of the steps (bounds the arrays held besides the current one). */
  static final int PREFETCH_BATCHES = 4;

  @Override
  public String name() {
    return "recsys train";
  }

  @Override
  public java.util.List<String> inputs(TrainOptions o) {
    return java.util.Arrays.asList(o.graph(), o.features());
  }

  @Override
  public void run(JobContext ctx, TrainOptions o) {
    FeatureSettings features = FeatureSettings.read(o.features(),
        ctx.spark().sparkContext().hadoopConfiguration());
    features.check(o.features(), o.fanout(), o.halfLifeDays());
    ctx.report().config("features_fanout", features.fanout())
        .config("features_half_life_days", features.halfLifeDays());
    Catalogue catalogue = ctx.report().time("catalogue",
        () -> Catalogue.read(ctx.spark(), o.graph(), o.itemAttributes(), o.buckets()));
    ctx.report().count("items", catalogue.ids().length)
        .metric("item_attributes", catalogue.attributes());
    // Each input read once (a Parquet read infers its schema in a Spark job of its own).
    Dataset<Row> labels = ctx.spark().read().parquet(o.graph() + "/labels");
    Dataset<Row> local = ctx.spark().read().parquet(o.features() + "/local");
    LabelledWindows labelled = LabelledWindows.of(labels);
    ExampleFiles train = ctx.report().time("train examples", () -> examples(ctx, o, "train",
        o.maxExamples(), labelled.rows("train"), labels, local, catalogue));
    ExampleFiles val = ctx.report().time("validation examples", () -> examples(ctx, o, "val",
        o.maxExamples() == 0 ? 0 : Math.max(1, o.maxExamples() / 5), labelled.rows("val"),
        labels, local, catalogue));
    if (train.count() == 0) {
      throw new JobFailedException("graph " + o.graph() + " has no labelled (user, cutoff) in "
          + "the training windows: nothing to train on (use more --train-windows or a shorter "
          + "--window-days in recsys graph)");
    }
    ctx.report().count("train_examples", train.count()).count("val_examples", val.count());
    long[] unknown = new long[1];
    int windowDays = features.windowDays() > 0 ? features.windowDays()
        : RecsysDefaults.integer(RecsysDefaults.WINDOW_DAYS);
    ContextGnnConfig config = new ContextGnnConfig(catalogue.ids().length, o.dim(), o.fanout(),
        catalogue.attributes().size(), o.buckets(), o.halfLifeDays(), windowDays);
    Dataset<Row> neighbourhood = ctx.spark().read().parquet(o.features() + "/item_neighbourhood");
    // One context per window an example can read: the labels' windows, not the neighbourhood's
    // (a cutoff before the log's first event has no neighbourhood rows, yet labelled users).
    int contexts = labelled.contexts();
    float[] itemFeatures = ctx.report().time("item features", () -> ItemStatistics.table(
        neighbourhood, ctx.spark().read().parquet(o.features() + "/item_popularity"),
        catalogue.ids(), contexts));
    Path best = tempDir();
    List<Map<String, Object>> epochs = new ArrayList<>();
    EpochSelection selection = new EpochSelection(o.patience());
    try (ContextGnnTrainer trainer = new ContextGnnTrainer(config, catalogue.buckets(),
        (float) o.learningRate(), (float) o.weightDecay(), o.fullSoftmaxMax(), o.sampledCandidates(),
        ctx.options().seed())) {
      ctx.report().metric("device", trainer.device().toString());
      trainer.setItemFeatures(itemFeatures, contexts);
      if (val.count() > 0) {
        // The baselines the block reproduces exactly are candidates too: reported as such.
        Map<String, Object> baselines = new LinkedHashMap<>();
        for (ContextGnnBlock.Baseline b : ContextGnnBlock.Baseline.values()) {
          trainer.setBaseline(b);
          double map = ValidationMap.of(val.stream(0, new long[1]), o, trainer);
          baselines.put(b.name().toLowerCase(java.util.Locale.ROOT) + "_equivalent", map);
          if (selection.offer(b.name().toLowerCase(java.util.Locale.ROOT) + "_equivalent", 0,
              map)) {
            trainer.save(best, catalogue.ids(), catalogue.buckets());
          }
        }
        ctx.report().metric("val_map_baseline_equivalents", baselines);
        // Training starts from the better reproduction on validation.
        ContextGnnBlock.Baseline start = (double) baselines.get("past_visits_equivalent")
            > (double) baselines.get("popularity_equivalent")
            ? ContextGnnBlock.Baseline.PAST_VISITS : ContextGnnBlock.Baseline.POPULARITY;
        trainer.setBaseline(start);
        ctx.report().metric("training_start", start.name().toLowerCase(java.util.Locale.ROOT)
            + "_equivalent");
      }
      for (int epoch = 1; epoch <= o.epochs() && !selection.exhausted(); epoch++) {
        long start = System.nanoTime();
        long[] seen = new long[1];
        double trainLoss = pass(train.stream(epoch, epoch == 1 ? unknown : new long[1]), o,
            trainer, true, seen);
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        boolean validate = val.count() > 0;
        double valLoss = validate ? pass(val.stream(0, epoch == 1 ? unknown : new long[1]), o,
            trainer, false, new long[1]) : Double.NaN;
        double valMap = validate ? ValidationMap.of(val.stream(0, new long[1]), o, trainer)
            : Double.NaN;
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("epoch", epoch);
        e.put("train_loss", trainLoss);
        e.put("val_loss", valLoss);
        e.put("val_map", valMap);
        e.put("seconds", seconds);
        e.put("train_seconds", trainSeconds);
        e.put("examples_per_second", seen[0] / trainSeconds);
        epochs.add(e);
        System.err.printf("recsys train: epoch %d/%d train loss %.4f, validation loss %.4f, "
            + "validation MAP@%d %.4f (%.1f s, %d examples)%n", epoch, o.epochs(), trainLoss,
            valLoss, o.k(), valMap, seconds, seen[0]);
        // Without validation examples the training loss decides (lower is better).
        double score = validate ? valMap : -trainLoss;
        if (selection.offer("epoch " + epoch, epoch, score)) {
          trainer.save(best, catalogue.ids(), catalogue.buckets());
        }
      }
    }
    ctx.report().metric("selected", selection.name()).metric("best_epoch", selection.epoch())
        .metric(val.count() == 0 ? "best_train_loss" : "best_val_map@" + o.k(),
            val.count() == 0 ? -selection.score() : selection.score())
        .metric("epochs_run", epochs.size())
        .metric("stopped_early", epochs.size() < o.epochs());
    ctx.report().count("unknown_items_dropped", unknown[0]);
    train.delete();
    val.delete();
    // The model's content identity: executors key their loaded copy by it and verify it.
    String fingerprint = DirectoryChecksum.of(best).checksum();
    copyModel(ctx, best);
    ctx.out().writeText("model/" + ContextGnnScoring.FINGERPRINT, fingerprint);
    ctx.report().metric("fingerprint", fingerprint);
    ctx.report().metric("epochs", epochs)
        .config("dim", o.dim()).config("fanout", o.fanout())
        .output("model", ctx.out().finalPath("model"));
    chart(ctx, epochs);
  }

  /**
   * One pass over a stream of examples in batches; returns the mean batch loss. The next {@value
   * #PREFETCH_BATCHES} batches are read, batched and built as plain arrays ({@link HostBatch}) on
   * a background thread ({@link Prefetcher}) while the current one steps; their arrays on the
   * device are made on this thread, the one that steps, so that the engine's intra-op threads
   * are started from one thread only. The same batches in the same order as a serial loop, so the
   * same result.
   */
  static double pass(Iterator<TrainExample> examples, TrainOptions o,
      ContextGnnTrainer trainer, boolean update, long[] seen) {
    double sum = 0;
    int batches = 0;
    // Host batches whose arrays are on the device go back to the producer to be refilled.
    BlockingQueue<HostBatch> free = new ArrayBlockingQueue<>(PREFETCH_BATCHES + 2);
    try (Prefetcher<HostBatch> ready = new Prefetcher<>(ExampleBatches.host(examples,
        o.batchSize(), o.fanout(), trainer, free::poll), PREFETCH_BATCHES,
        "recsys-train-batches")) {
      while (ready.hasNext()) {
        HostBatch h = ready.next();
        try (PreparedBatch p = trainer.prepare(h)) {
          free.offer(h);
          sum += update ? trainer.step(p) : trainer.evaluate(p);
          seen[0] += p.size();
          batches++;
        }
      }
    }
    return batches == 0 ? Double.NaN : sum / batches;
  }

  /**
   * The examples of one split ({@code n} labelled (user, cutoff) rows of {@code allLabels})
   * written once as Parquet ({@link ExampleFiles}), sampled down to {@code max} when
   * {@code max > 0}.
   */
  private static ExampleFiles examples(JobContext ctx, TrainOptions o, String split, int max,
      long n, Dataset<Row> allLabels, Dataset<Row> allLocal, Catalogue catalogue) {
    Dataset<Row> labels = allLabels.filter(col("split").equalTo(split))
        .select("user_id", "window", "label_items");
    Dataset<Row> local = allLocal
        .filter(col("split").equalTo(split).and(col("recency_rank").leq(o.fanout())));
    // A left join on (user, window), unique on both sides: one example per labelled row.
    Dataset<Row> joined = labels.join(LocalSubgraph.nested(local),
        new String[] {"user_id", "window"}, "left");
    boolean sampled = max > 0 && n > max;
    if (sampled) {
      joined = joined.sample(false, Math.min(1.0, 1.05 * max / n), ctx.options().seed())
          .orderBy("user_id", "window").limit(max);
      ctx.report().count(split + "_examples_available", n);
      n = Math.min(n, max);
    }
    String dir = ctx.out().path("_examples/" + split);
    if (n == 0) {
      return ExampleFiles.open(ctx.spark(), dir, 0, catalogue, ctx.options().seed());
    }
    ExampleFiles.write(ctx.spark(), joined, n, dir, catalogue, ctx.options().seed());
    // A sample may fall short of max; otherwise every labelled row was written.
    long written = sampled ? ctx.spark().read().parquet(dir).count() : n;
    return ExampleFiles.open(ctx.spark(), dir, written, catalogue, ctx.options().seed());
  }

  private static Path tempDir() {
    try {
      Path dir = Files.createTempDirectory("parallax-contextgnn");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary model directory", e);
    }
  }

  private static void copyModel(JobContext ctx, Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        ctx.out().writeBytes("model/" + f.getFileName(), Files.readAllBytes(f));
        Files.delete(f);
      }
      Files.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the model from " + dir, e);
    }
  }

  private static void chart(JobContext ctx, List<Map<String, Object>> epochs) {
    double[] x = new double[epochs.size()];
    double[] trainLoss = new double[epochs.size()];
    double[] valLoss = new double[epochs.size()];
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < epochs.size(); i++) {
      x[i] = i + 1;
      trainLoss[i] = (double) epochs.get(i).get("train_loss");
      valLoss[i] = (double) epochs.get(i).get("val_loss");
      rows.add(List.of(String.valueOf(i + 1), String.format("%.4f", trainLoss[i]),
          String.format("%.4f", valLoss[i]),
          String.format("%.1f", (double) epochs.get(i).get("seconds"))));
    }
    Map<String, double[][]> series = new LinkedHashMap<>();
    series.put("train", new double[][] {x, trainLoss});
    if (!Double.isNaN(valLoss[0])) {
      series.put("validation", new double[][] {x, valLoss});
    }
    byte[] png = Charts.lines("ContextGNN training loss", "epoch", "softmax loss", series);
    ctx.out().writeBytes("loss.png", png);
    ctx.out().writeText("report.html", new HtmlReport("recsys train")
        .table(List.of("epoch", "train loss", "validation loss", "seconds"), rows)
        .image("loss", png).render());
  }
}
