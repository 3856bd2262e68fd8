package org.parallax.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.recsys.FeaturesJob;
import org.parallax.recsys.FeaturesOptions;
import org.parallax.recsys.GraphJob;
import org.parallax.recsys.GraphOptions;
import org.parallax.recsys.LocalSubgraph;
import org.parallax.recsys.ScoreJob;
import org.parallax.recsys.ScoreOptions;
import org.parallax.recsys.TrainJob;
import org.parallax.recsys.TrainOptions;

/**
 * The recsys benchmark: {@code graph} + {@code features} wall time as generated interactions
 * grow, and {@code score} throughput (users/s, every user of the graph, top-12) against MLlib
 * ALS {@code recommendForAllUsers} with as many factors as ContextGNN's width, in the same run
 * on the same interactions. Both sides write their recommendations to Parquet.
 */
public final class RecsysBench {
  private static final int K = 12;
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public RecsysBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  public String run(long[] scales, long scoreInteractions, int dim) {
    BenchTable scaling = new BenchTable("interactions", "users", "items", "graph s",
        "features s", "interactions/s (graph + features)");
    for (long n : scales) {
      Path dir = work.resolve("scale-" + n);
      Built b = build(dir, n, 4);
      scaling.row(n, b.users, b.items, b.graphSeconds, b.featuresSeconds,
          n / (b.graphSeconds + b.featuresSeconds));
    }

    Path dir = work.resolve("score");
    Built b = build(dir, scoreInteractions, 2);
    String graph = dir.resolve("graph").toString();
    JobReport trained = JobRunner.run(spark, new TrainJob(), new TrainOptions(
        common(dir.resolve("train")), graph, dir.resolve("features").toString(), dim, 32, 1, 512,
        0.01, 1e-4, "auto", 1024, 20_000, 4096, 50_000, 30, K, 1));
    JobReport scored = JobRunner.run(spark, new ScoreJob(), new ScoreOptions(
        common(dir.resolve("scored")), graph, dir.resolve("train").toString(), "test", "all", K,
        512, 8192, false, 0));
    long users = ((Number) scored.counts.get("users")).longValue();
    double scoreSeconds = scored.seconds;

    Dataset<Row> ratings = LocalSubgraph.edges(spark, graph).groupBy("user_id", "item_id")
        .agg(count(lit(1)).as("n")).select(col("user_id").cast("int").as("user"),
            col("item_id").cast("int").as("item"), col("n").cast("float").as("rating")).cache();
    ratings.count();
    Stopwatch.Timed<ALSModel> als = Stopwatch.time(() -> new ALS().setImplicitPrefs(true)
        .setRank(dim).setMaxIter(5).setSeed(seed).setUserCol("user").setItemCol("item")
        .setRatingCol("rating").fit(ratings));
    double alsSeconds = Stopwatch.seconds(() -> als.value().recommendForAllUsers(K).write()
        .mode("overwrite").parquet(dir.resolve("als-recs").toString()));
    ratings.unpersist();

    BenchTable score = new BenchTable("method", "users", "items", "factors", "fit s",
        "recommend s", "users/s", "vs ALS");
    score.row("ContextGNN score (local subgraphs + DJL + blocked top-k)", users, b.items, dim,
        trained.seconds, scoreSeconds, users / scoreSeconds,
        (users / scoreSeconds) / (users / alsSeconds));
    score.row("MLlib ALS recommendForAllUsers (baseline)", users, b.items, dim, als.seconds(),
        alsSeconds, users / alsSeconds, 1.0);
    return String.format("## Recsys (ContextGNN)%n%n"
        + "Generated interactions (datagen recsys: planted repeats and clusters; users = n/25, "
        + "items = n/100). Scaling: `recsys graph` (7-day window, 4 training windows) then "
        + "`recsys features` (fanout 32), whole-job wall time each. Scoring: %,d interactions, "
        + "ContextGNN (width %d, trained 1 epoch: speed only) scores every user of the graph at "
        + "the test cutoff, top-%d, the whole `recsys score` job (local subgraphs in SQL, DJL "
        + "inference per executor, blocked top-k, Parquet write); the baseline is MLlib ALS "
        + "(implicit, rank %d, 5 iterations) `recommendForAllUsers(%d)` written to Parquet.%n%n"
        + "%s%n%s%n", scoreInteractions, dim, K, dim, K, scaling.markdown(), score.markdown());
  }

  private record Built(long users, long items, double graphSeconds, double featuresSeconds) {}

  private Built build(Path dir, long n, int trainWindows) {
    JobRunner.run(spark, new DatagenJob("recsys"), new DatagenOptions("recsys",
        common(dir.resolve("data")), n, "parquet"));
    JobReport graph = JobRunner.run(spark, new GraphJob(), new GraphOptions(
        common(dir.resolve("graph")), dir.resolve("data/interactions").toString(), "parquet",
        null, dir.resolve("data/items").toString(), 7, trainWindows, null, null));
    JobReport features = JobRunner.run(spark, new FeaturesJob(), new FeaturesOptions(
        common(dir.resolve("features")), dir.resolve("graph").toString(), 32, 30, 7));
    return new Built(((Number) graph.counts.get("users")).longValue(),
        ((Number) graph.counts.get("items")).longValue(), graph.seconds, features.seconds);
  }

  private CommonOptions common(Path out) {
    return CommonOptions.replacing(out.toString(), seed);
  }

}
