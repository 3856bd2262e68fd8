package org.parallax.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import org.parallax.rollout.PolicySpec;
import org.parallax.rollout.RolloutJob;
import org.parallax.rollout.RolloutOptions;

/**
 * The rollout benchmark: the pipeline's own cost (everything but generation) with the
 * extractive policy, whose generation takes microseconds, so the time per turn is the
 * turn-synchronous machinery: a generation stage, a distributed retrieval stage, the join back
 * and the checkpoint. Questions/s at growing question counts over one generated corpus; the
 * in-run baseline is the direct mode (one turn, no retrieval) over the same questions.
 */
public final class RolloutBench {
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public RolloutBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  public String run(long passages, long[] questionCounts) {
    Path data = work.resolve("data");
    JobRunner.run(spark, new DatagenJob("retrieval"), new DatagenOptions("retrieval",
        common(data), passages, "parquet"));
    Path index = work.resolve("index");
    JobRunner.run(spark, new IndexJob(), new IndexOptions(common(index),
        data.resolve("corpus").toString(), "jsonl", 2, 256, AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI, null));
    Dataset<Row> qa = spark.read().json(data.resolve("qa").toString());
    long base = qa.count();
    BenchTable t = new BenchTable("questions", "mode", "turns run", "seconds", "questions/s",
        "seconds per turn", "EM");
    for (long n : questionCounts) {
      Path questions = work.resolve("questions-" + n);
      long copies = (n + base - 1) / base;
      qa.crossJoin(spark.range(copies).withColumnRenamed("id", "copy"))
          .withColumn("id", concat(col("id"), lit("-"), col("copy"))).drop("copy").limit((int) n)
          .write().mode("overwrite").json(questions.toString());
      for (String mode : new String[] {"direct", "search-r1"}) {
        JobReport r = JobRunner.run(spark, new RolloutJob(), new RolloutOptions(
            common(work.resolve("rollout-" + n + "-" + mode)), questions.toString(), "jsonl",
            index.toString(), mode, new PolicySpec("extractive", null, "none", 500, 1, 0, 60,
                256, null), 4, 3, 4096, RolloutOptions.DEFAULT_INFO_TOKENS, null, false, null));
        int turns = mode.equals("direct") ? 1 : 2;
        @SuppressWarnings("unchecked")
        double em = ((Number) ((java.util.Map<String, Object>) r.metrics.get("overall"))
            .get("em")).doubleValue();
        t.row(n, mode, turns, r.seconds, n / r.seconds, r.seconds / turns, em);
      }
    }
    return String.format("## Rollout evaluation (Search-R1, extractive policy)%n%n"
        + "Corpus: %,d generated passages in 2 shards; questions are copies of its %,d "
        + "generated questions. The extractive policy generates in microseconds, so these times "
        + "are the pipeline itself: per turn a generation stage, a distributed exact-BM25 "
        + "retrieval stage (search-r1 only), the join back and a checkpoint. Whole-job wall time, "
        + "including reading the questions and scoring.%n%n%s%n", passages, base, t.markdown());
  }

  private CommonOptions common(Path out) {
    return CommonOptions.replacing(out.toString(), seed);
  }
}
