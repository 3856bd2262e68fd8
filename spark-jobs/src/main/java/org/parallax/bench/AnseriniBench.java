package org.parallax.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.AnswerRecall;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import org.parallax.retrieval.RetrieverChoice;
import org.parallax.retrieval.SearchJob;
import org.parallax.retrieval.SearchOptions;
import org.parallax.text.AnswerNormalizer;

/**
 * BM25 against Anserini ({@link AnseriniPeer}), the tool a Search-R1 user would otherwise run, in
 * the same run on the same generated JSONL corpus and questions: the {@code retrieval index} job
 * (2 shards) against {@code IndexCollection -threads 2}, and the {@code retrieval search} job (top
 * 10, given only ids and questions, as Anserini is) against {@code SearchCollection -threads 2},
 * with {@code --no-contents} (ids and scores, what a run file holds) and with passages. Each
 * time is the faster of two runs; the parallax jobs run in this JVM after a warm-up, Anserini
 * as a fresh process each time. Then whether both found the same top 10
 * ({@link RankingAgreement}) and the same answer recall ({@link AnswerRecall}, the same
 * evaluator over both result lists).
 */
public final class AnseriniBench {
  private static final int THREADS = 2;
  private static final int K = 10;
  private static final StructType RUN_FILE = new StructType()
      .add("query_id", DataTypes.StringType).add("q0", DataTypes.StringType)
      .add("doc_id", DataTypes.StringType).add("rank", DataTypes.IntegerType)
      .add("score", DataTypes.FloatType).add("tag", DataTypes.StringType);
  private final SparkSession spark;
  private final Path work;
  private final long seed;
  private final AnseriniPeer peer;

  public AnseriniBench(SparkSession spark, Path work, long seed, Path java, Path jar) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
    this.peer = new AnseriniPeer(java, jar);
  }

  /** Runs the comparison at each corpus size and returns its Markdown section. */
  public String run(long[] passages, int questions) throws Exception {
    Files.createDirectories(work);
    warmUp();
    BenchTable speed = new BenchTable("work", "passages", "questions", "parallax s",
        "parallax CPU s", "Anserini s", "Anserini CPU s", "ratio (Anserini s / parallax s)",
        "CPU ratio");
    BenchTable agree = new BenchTable("passages", "questions", "identical top 10 (ids in order)",
        "differ only among passages tied at the 10th score", "other differences",
        "largest score difference", "recall@1 parallax / Anserini", "recall@3",
        "recall@10");
    for (long n : passages) {
      compare(n, questions, speed, agree);
    }
    return "## Retrieval against Anserini (BM25 index and search)\n\n"
        + "Same generated JSONL corpus (`datagen retrieval`, about 100 words a passage) and "
        + "questions for both. parallax: the `retrieval index` job, 2 shards, and the "
        + "`retrieval search` job, top 10, whole jobs in the bench's JVM (Spark session up, after "
        + "a warm-up), and the index and the search once more as fresh `submit/run` processes "
        + "(the faster of two is the one that starts from the launcher's class-data archive, as "
        + "every run of a build after its first does; the first writes it when none is there). "
        + "Anserini "
        + AnseriniPeer.VERSION + ": `IndexCollection -collection JsonCollection -threads 2 "
        + "-storeRaw` and `SearchCollection -bm25 -hits 10 -threads 2 "
        + "-topicReader TsvString`, each a fresh JVM as its users run it. Both are given only ids "
        + "and questions; each time is the faster of two runs; CPU is the whole process's "
        + "(all threads, JIT and GC). Ratio: parallax's speed over Anserini's.\n\n"
        + speed.markdown() + "\nAgreement of the `--no-contents` run with Anserini's run file, "
        + "and answer recall of both lists by the same evaluator (Search-R1's normalisation, "
        + "whole-token match):\n\n" + agree.markdown() + "\n";
  }

  private void warmUp() throws IOException {
    long n = 1000;
    Path data = generate(n);
    BenchQuestions.Written q = BenchQuestions.write(work.resolve("questions-warm-up"), seed, n,
        1000);
    index(data, work.resolve("index-warm-up"));
    search(work.resolve("index-warm-up"), q.plain(), work.resolve("search-warm-up"), true);
    search(work.resolve("index-warm-up"), q.plain(), work.resolve("search-warm-up"), false);
  }

  private void compare(long n, int questions, BenchTable speed, BenchTable agree)
      throws Exception {
    Path data = generate(n);
    Path collection = jsonCollection(data.resolve("corpus"), work.resolve("anserini-corpus-" + n));
    BenchQuestions.Written q = BenchQuestions.write(work.resolve("questions-" + n), seed, n,
        questions);
    Path index = work.resolve("index-" + n);
    ProcessTiming pxIndex = ProcessTiming.faster(index(data, index), index(data, index));
    Path freshIndexed = work.resolve("index-fresh-" + n);
    ProcessTiming pxFreshIndex = ProcessTiming.faster(freshIndex(data, freshIndexed),
        freshIndex(data, freshIndexed));
    Path aIndex = work.resolve("anserini-index-" + n);
    ProcessTiming anIndex = ProcessTiming.faster(peer.index(collection, aIndex, THREADS),
        peer.index(collection, aIndex, THREADS));
    Path ids = work.resolve("search-ids-" + n);
    ProcessTiming pxIds = ProcessTiming.faster(search(index, q.plain(), ids, false),
        search(index, q.plain(), ids, false));
    Path cold = work.resolve("search-fresh-" + n);
    ProcessTiming pxFresh = ProcessTiming.faster(freshSearch(index, q.plain(), cold),
        freshSearch(index, q.plain(), cold));
    Path passages = work.resolve("search-" + n);
    ProcessTiming pxPassages = ProcessTiming.faster(search(index, q.plain(), passages, true),
        search(index, q.plain(), passages, true));
    Path run = work.resolve("anserini-run-" + n + ".txt");
    ProcessTiming anSearch = ProcessTiming.faster(peer.search(aIndex, q.topics(), run, K,
        THREADS), peer.search(aIndex, q.topics(), run, K, THREADS));
    row(speed, "BM25 index, 2 shards / 2 threads", n, "", pxIndex, anIndex);
    row(speed, "BM25 index, 2 shards / 2 threads, parallax as a fresh process (`submit/run "
        + "retrieval index`: JVM and Spark start included)", n, "", pxFreshIndex, anIndex);
    row(speed, "BM25 search, top 10, ids and scores (`--no-contents`; a run file)", n,
        questions, pxIds, anSearch);
    row(speed, "BM25 search, top 10, parallax with passages (Anserini: run file)", n,
        questions, pxPassages, anSearch);
    row(speed, "BM25 search, top 10, ids and scores, parallax as a fresh process "
        + "(`submit/run retrieval search --no-contents`: JVM and Spark start included)", n,
        questions, pxFresh, anSearch);

    RankingAgreement a = new RankingAgreement().addAll(parallaxHits(ids),
        AnseriniPeer.readRun(run));
    Dataset<Row> corpus = spark.read().schema("id STRING, contents STRING")
        .json(data.resolve("corpus").toString());
    Dataset<Row> qa = spark.read().schema("id STRING, golden_answers ARRAY<STRING>")
        .json(q.qa().toString()).withColumnRenamed("id", "query_id");
    Map<String, Double> px = recall(spark.read().parquet(ids.resolve("results").toString()),
        corpus, qa);
    Map<String, Double> an = recall(spark.read().schema(RUN_FILE).option("sep", " ")
        .csv(run.toString()), corpus, qa);
    agree.row(n, questions, a.identical(), a.tiedAtCut(), a.other(),
        String.format("%.1e", a.maxScoreDifference()), pair(px, an, "recall@1"),
        pair(px, an, "recall@3"), pair(px, an, "recall@10"));
  }

  private static void row(BenchTable t, String work, long n, Object questions,
      ProcessTiming px, ProcessTiming an) {
    t.row(work, n, questions, px.seconds(), px.cpuSeconds(), an.seconds(), an.cpuSeconds(),
        an.seconds() / px.seconds(), an.cpuSeconds() / px.cpuSeconds());
  }

  private static String pair(Map<String, Double> a, Map<String, Double> b, String key) {
    return String.format("%.4f / %.4f", a.getOrDefault(key, Double.NaN),
        b.getOrDefault(key, Double.NaN));
  }

  /** Answer recall of {@code hits} ({@code query_id, rank, doc_id}) against the QA set. */
  private static Map<String, Double> recall(Dataset<Row> hits, Dataset<Row> corpus,
      Dataset<Row> qa) {
    UserDefinedFunction hasAnswer = udf((UDF2<String, scala.collection.Seq<String>, Boolean>)
        (contents, answers) -> {
          List<String> gold = new ArrayList<>();
          if (answers != null) {
            scala.collection.JavaConverters.seqAsJavaList(answers).forEach(s -> {
              String norm = AnswerNormalizer.normalize(s);
              if (!norm.isEmpty()) {
                gold.add(norm);
              }
            });
          }
          return AnswerNormalizer.containsAnyAnswer(contents, gold);
        }, DataTypes.BooleanType);
    Dataset<Row> judged = hits.select("query_id", "rank", "doc_id")
        .join(corpus, col("doc_id").equalTo(col("id")))
        .join(qa, "query_id")
        .withColumn("has_answer", hasAnswer.apply(col("contents"), col("golden_answers")));
    return AnswerRecall.compute(judged, qa, K);
  }

  private Map<String, List<Hit>> parallaxHits(Path search) {
    Map<String, List<Hit>> out = new HashMap<>();
    Iterator<Row> rows = spark.read().parquet(search.resolve("results").toString())
        .select("query_id", "rank", "doc_id", "score").orderBy("query_id", "rank")
        .toLocalIterator();
    rows.forEachRemaining(r -> out.computeIfAbsent(r.getString(0), k -> new ArrayList<>(K))
        .add(new Hit(r.getString(2), r.getFloat(3), null)));
    return out;
  }

  /**
   * The corpus as Anserini's JsonCollection: its JSON lines ({@code id, contents}, the format
   * both read) linked, or copied where links are not possible, as {@code docs-N.json}.
   */
  private static Path jsonCollection(Path corpus, Path dir) throws IOException {
    RetrievalBench.deleteTree(dir);
    Files.createDirectories(dir);
    try (Stream<Path> parts = Files.list(corpus)) {
      int i = 0;
      for (Path p : parts.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()
          .toList()) {
        Path target = dir.resolve(String.format("docs-%05d.json", i++));
        try {
          Files.createLink(target, p);
        } catch (IOException | UnsupportedOperationException e) {
          Files.copy(p, target);
        }
      }
    }
    return dir;
  }

  private Path generate(long n) {
    Path data = work.resolve("data-" + n);
    JobRunner.run(spark, new DatagenJob("retrieval"), new DatagenOptions("retrieval",
        CommonOptions.replacing(data.toString(), seed), n, "jsonl"));
    return data;
  }

  private ProcessTiming index(Path data, Path out) {
    return ProcessTiming.of(() -> JobRunner.run(spark, new IndexJob(), new IndexOptions(
        CommonOptions.replacing(out.toString(), seed), data.resolve("corpus").toString(),
        "jsonl", THREADS, 256, AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, null)));
  }

  /** The index job as a user starts it from a shell: {@code submit/run} in a new JVM. */
  private ProcessTiming freshIndex(Path data, Path out) throws IOException,
      InterruptedException {
    return fresh(out, List.of("retrieval", "index", "--corpus",
        data.resolve("corpus").toString(), "--format", "jsonl", "--shards",
        Integer.toString(THREADS), "--out", out.toString(), "--overwrite"));
  }

  /**
   * The {@code --no-contents} search as a user starts it from a shell: {@code submit/run} in a
   * new JVM (its default driver heap), so the JVM's and Spark's start are in the time.
   */
  private ProcessTiming freshSearch(Path index, Path questions, Path out) throws IOException,
      InterruptedException {
    return fresh(out, List.of("retrieval", "search", "--index", index.toString(), "--queries",
        questions.toString(), "--format", "jsonl", "--k", Integer.toString(K), "--no-contents",
        "--out", out.toString(), "--overwrite"));
  }

  /**
   * {@code submit/run ARGS} in a new JVM with its default driver heap, its console to
   * {@code out.log}.
   */
  private static ProcessTiming fresh(Path out, List<String> args) throws IOException,
      InterruptedException {
    Path root = Path.of(System.getProperty("parallax.root", "."));
    List<String> cmd = new java.util.ArrayList<>(List.of(root.resolve("submit/run").toString()));
    cmd.addAll(args);
    return ProcessTiming.ofProcess(out.resolveSibling(out.getFileName() + ".log"), cmd,
        java.util.Collections.singletonMap("PARALLAX_DRIVER_MEMORY", null));
  }

  private ProcessTiming search(Path index, Path questions, Path out, boolean contents) {
    return ProcessTiming.of(() -> JobRunner.run(spark, new SearchJob(), new SearchOptions(
        CommonOptions.replacing(out.toString(), seed), index.toString(), questions.toString(),
        "jsonl", K, "question", null, RetrieverChoice.BM25, null, contents)));
  }

}
