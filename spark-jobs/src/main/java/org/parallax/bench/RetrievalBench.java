package org.parallax.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.CommonOptions;
import org.parallax.common.HadoopConf;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import org.parallax.retrieval.QueryTerms;
import org.parallax.retrieval.RetrievalServer;
import org.parallax.retrieval.SearchJob;
import org.parallax.retrieval.SearchOptions;
import org.parallax.retrieval.ShardedIndex;

/**
 * The retrieval benchmark. At one scale it compares, in the same run, the Spark index job with a
 * plain single-threaded Lucene IndexWriter over the same passages, 2 shards with 1, the
 * distributed batch search and the HTTP server with one IndexSearcher over a single index; then
 * it times index and search across scales.
 */
public final class RetrievalBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public RetrievalBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /** Runs the benchmark and returns its Markdown section. */
  public String run(long ratioScale, long[] scales, int clients) throws Exception {
    return run(ratioScale, scales, clients, 0);
  }

  /**
   * Runs the benchmark with {@code searchQueries} questions in the search comparison (the
   * generator's questions 0 .. searchQueries - 1, about passages drawn at random, so mostly
   * distinct; 0: the questions the generator wrote).
   */
  public String run(long ratioScale, long[] scales, int clients, int searchQueries)
      throws Exception {
    StringBuilder md = new StringBuilder("## Retrieval (sharded Lucene BM25)\n\n");
    md.append(ratios(ratioScale, clients, searchQueries));
    md.append(scaling(scales));
    return md.toString();
  }

  private String ratios(long n, int clients, int searchQueries) throws Exception {
    // Warm-up at a tenth of the scale, so no contender pays for JIT compilation alone.
    Path warm = generate(Math.max(1000, n / 10));
    plainIndex(warm, work.resolve("single-warm-up"));
    index(warm, Math.max(1000, n / 10), 1);
    Path data = generate(n);
    Path single = work.resolve("single-" + n);
    double plain = Math.min(plainIndex(data, single), plainIndex(data, single));
    JobReport one = fastest(index(data, n, 1), index(data, n, 1));
    JobReport two = fastest(index(data, n, 2), index(data, n, 2));
    int cores = Math.min(2, Runtime.getRuntime().availableProcessors());
    BenchTable indexing = new BenchTable("indexer", "passages", "seconds", "docs/s",
        "docs/s per core", "vs plain Lucene");
    indexing.row("plain Lucene IndexWriter, 1 thread", n, plain, n / plain, n / plain, 1.0);
    indexing.row("Spark index job, 1 shard", n, one.seconds, n / one.seconds, n / one.seconds,
        plain / one.seconds);
    indexing.row("Spark index job, 2 shards", n, two.seconds, n / two.seconds,
        n / two.seconds / cores, plain / two.seconds);

    Path qa = searchQueries > 0
        ? BenchQuestions.qa(work.resolve("qa-" + searchQueries), seed, n, searchQueries)
        : data.resolve("qa");
    List<String> questions = readQuestions(qa);
    JobReport four = index(data, n, 4);
    // Search warm-up: the plain searcher and the Spark job over the warm-up index first.
    plainSearch(work.resolve("single-warm-up"), readQuestions(warm.resolve("qa")), false);
    plainSearch(shardDir(Math.max(1000, n / 10), 1), readQuestions(warm.resolve("qa")), true);
    JobRunner.run(spark, new SearchJob(), new SearchOptions(common(work.resolve("search-warm")),
        work.resolve("index-" + Math.max(1000, n / 10) + "-1").toString(),
        warm.resolve("qa").toString(), "jsonl", 10, "question", null));
    double singleSearch = plainSearch(single, questions, false);
    double docValuesSearch = plainSearch(shardDir(n, 1), questions, true);
    String index2 = work.resolve("index-" + n + "-2").toString();
    double shardedInProcess;
    try (ShardedIndex idx = RetrievalServer.open(index2, HadoopConf.fromSparkSettings(), null)) {
      shardedInProcess = Stopwatch.seconds(() -> questions.forEach(q -> idx.search(q, 10)));
    }
    JobReport search = JobRunner.run(spark, new SearchJob(), new SearchOptions(
        common(work.resolve("search-" + n)), index2, qa.toString(), "jsonl", 10,
        "question", null));
    JobReport search4 = JobRunner.run(spark, new SearchJob(), new SearchOptions(
        common(work.resolve("search-" + n + "-4")), work.resolve("index-" + n + "-4").toString(),
        qa.toString(), "jsonl", 10, "question", null));
    double[] server = serve(index2, questions, clients);
    int q = questions.size();
    BenchTable searching = new BenchTable("searcher", "queries", "seconds", "queries/s",
        "vs one IndexSearcher");
    searching.row("one plain IndexSearcher, single index, 1 thread", q, singleSearch,
        q / singleSearch,
        1.0);
    searching.row("one plain IndexSearcher, the 1-shard job index (passages as doc values), "
        + "1 thread", q, docValuesSearch, q / docValuesSearch, singleSearch / docValuesSearch);
    searching.row("exact global BM25 over 2 shards, in-process, 1 thread", q, shardedInProcess,
        q / shardedInProcess, singleSearch / shardedInProcess);
    searching.row("Spark batch search job, 2 shards (whole job)", q, search.seconds,
        q / search.seconds, singleSearch / search.seconds);
    searching.row("Spark batch search job, 4 shards (whole job)", q, search4.seconds,
        q / search4.seconds, singleSearch / search4.seconds);
    searching.row("Spark batch search job, 2 shards (search stage)", q,
        stage(search, "search"), q / stage(search, "search"),
        singleSearch / stage(search, "search"));
    searching.row("HTTP server, 2 shards, " + clients + " concurrent clients", (int) server[1],
        server[2], server[1] / server[2], (server[1] / server[2]) / (q / singleSearch));
    return String.format("Same %,d generated passages (about 100 words each) and %,d questions "
        + "in every row; ratios are against the first row of each table, measured in the same "
        + "run after a warm-up at a tenth of the scale; indexing rows are the faster of two "
        + "runs.%n%n### Indexing%n%n%s%nSpark overhead over plain Lucene at 1 shard: %.1f%%. "
        + "2 shards vs 1 shard: %.2fx.%n%n### Search (top 10)%n%n%s%nServer ready (index "
        + "opened, socket bound) in %.2f s.%n%n", n, q, indexing.markdown(),
        100 * (one.seconds / plain - 1), one.seconds / two.seconds, searching.markdown(),
        server[0]);
  }

  /** The shard directory of the Spark index job's 1-shard index of {@code n} passages. */
  private Path shardDir(long n, int shards) {
    return work.resolve("index-" + n + "-" + shards).resolve("shards").resolve("shard-00000");
  }

  /** Seconds of the job's stage {@code name} (its report's timing). */
  private static double stage(JobReport r, String name) {
    return r.stages.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no stage " + name + " in " + r.job))
        .seconds();
  }

  /**
   * Seconds a plain single-threaded Lucene IndexWriter takes to read and index the corpus: the
   * same analyzer, BM25 and field options as a shard (ids a stored keyword, contents analysed
   * with frequencies), the contents stored as Lucene's compressed stored fields (as a plain
   * program keeps them), merged to one segment.
   */
  private static double plainIndex(Path data, Path dir) {
    deleteTree(dir);
    return Stopwatch.seconds(() -> {
      List<String[]> docs = readCorpus(data.resolve("corpus"));
      docs.sort(Comparator.comparing(d -> d[0]));
      FieldType contents = new FieldType();
      contents.setTokenized(true);
      contents.setStored(true);
      contents.setIndexOptions(org.apache.lucene.index.IndexOptions.DOCS_AND_FREQS);
      IndexWriterConfig config = new IndexWriterConfig(AnalyzerConfig.ANSERINI.create())
          .setSimilarity(Bm25Config.ANSERINI.similarity()).setRAMBufferSizeMB(256);
      try (IndexWriter writer = new IndexWriter(FSDirectory.open(dir), config)) {
        for (String[] d : docs) {
          Document doc = new Document();
          doc.add(new StringField("id", d[0], Field.Store.YES));
          doc.add(new Field("contents", d[1], contents));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Seconds one plain Lucene {@link IndexSearcher} thread takes to answer {@code questions} over
   * the single index {@code dir}: the same analyzer, BM25 (0.9, 0.4) and Anserini bag-of-words
   * query, the top 10 with their passages read (from stored fields, or with {@code docValues}
   * from the id and contents doc values of a parallax shard): the floor the Spark search is
   * measured against.
   */
  private static double plainSearch(Path dir, List<String> questions, boolean docValues) {
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir))) {
      IndexSearcher searcher = new IndexSearcher(reader);
      searcher.setSimilarity(Bm25Config.ANSERINI.similarity());
      StoredFields fields = reader.storedFields();
      org.apache.lucene.analysis.Analyzer analyzer = AnalyzerConfig.ANSERINI.create();
      long[] chars = new long[1];
      return Stopwatch.seconds(() -> {
        try {
          for (String q : questions) {
            Query query = QueryTerms.toQuery(QueryTerms.analyze(analyzer, q));
            if (query == null) {
              continue;
            }
            ScoreDoc[] top = searcher.search(query, 10).scoreDocs;
            if (!docValues) {
              for (ScoreDoc sd : top) {
                Document d = fields.document(sd.doc);
                chars[0] += d.get("id").length() + d.get("contents").length();
              }
              continue;
            }
            int[] docs = new int[top.length];
            for (int i = 0; i < top.length; i++) {
              docs[i] = top[i].doc;
            }
            java.util.Arrays.sort(docs);
            LeafReader leaf = reader.leaves().get(0).reader();
            BinaryDocValues ids = leaf.getBinaryDocValues("id");
            BinaryDocValues texts = leaf.getBinaryDocValues("contents");
            for (int doc : docs) {
              ids.advanceExact(doc);
              texts.advanceExact(doc);
              chars[0] += ids.binaryValue().utf8ToString().length()
                  + texts.binaryValue().utf8ToString().length();
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JobReport fastest(JobReport a, JobReport b) {
    return a.seconds <= b.seconds ? a : b;
  }

  private String scaling(long[] scales) {
    BenchTable t = new BenchTable("passages", "index seconds (2 shards)", "docs/s",
        "index bytes", "queries", "search seconds", "queries/s");
    for (long n : scales) {
      Path data = generate(n);
      JobReport idx = index(data, n, 2);
      JobReport s = JobRunner.run(spark, new SearchJob(), new SearchOptions(
          common(work.resolve("search-" + n)), work.resolve("index-" + n + "-2").toString(),
          data.resolve("qa").toString(), "jsonl", 10, "question", null));
      long queries = ((Number) s.counts.get("queries")).longValue();
      t.row(n, idx.seconds, n / idx.seconds, idx.counts.get("bytes"), queries, s.seconds,
          queries / s.seconds);
    }
    return "### Scaling (Spark jobs, 2 shards, whole-job wall time)\n\n" + t.markdown() + "\n";
  }

  private Path generate(long n) {
    Path data = work.resolve("data-" + n);
    JobRunner.run(spark, new DatagenJob("retrieval"), new DatagenOptions("retrieval",
        common(data), n, "parquet"));
    return data;
  }

  private JobReport index(Path data, long n, int shards) {
    return JobRunner.run(spark, new IndexJob(), new IndexOptions(
        common(work.resolve("index-" + n + "-" + shards)), data.resolve("corpus").toString(),
        "jsonl", shards, 256, AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, null));
  }

  /** {ready seconds, queries answered, seconds} for concurrent HTTP clients. */
  private static double[] serve(String index, List<String> questions, int clients)
      throws Exception {
    long t0 = System.nanoTime();
    try (ShardedIndex idx = RetrievalServer.open(index, HadoopConf.fromSparkSettings(), null);
        RetrievalServer server = new RetrievalServer(idx, "127.0.0.1", 0, clients)) {
      double ready = (System.nanoTime() - t0) / 1e9;
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + server.port() + "/retrieve");
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      List<Future<Integer>> done = new ArrayList<>();
      long s0 = System.nanoTime();
      for (String q : questions) {
        done.add(pool.submit(() -> http.send(HttpRequest.newBuilder(uri)
            .POST(HttpRequest.BodyPublishers.ofString("{\"queries\": ["
                + JSON.writeValueAsString(q) + "], \"topk\": 3, \"return_scores\": true}"))
            .build(), HttpResponse.BodyHandlers.discarding()).statusCode()));
      }
      int ok = 0;
      for (Future<Integer> f : done) {
        ok += f.get() == 200 ? 1 : 0;
      }
      double secs = (System.nanoTime() - s0) / 1e9;
      pool.shutdown();
      return new double[] {ready, ok, secs};
    }
  }

  private CommonOptions common(Path out) {
    return CommonOptions.replacing(out.toString(), seed);
  }

  private static List<String[]> readCorpus(Path dir) {
    List<String[]> out = new ArrayList<>();
    forEachJsonLine(dir, n -> out.add(new String[] {n.get("id").asText(),
        n.get("contents").asText()}));
    return out;
  }

  static List<String> readQuestions(Path dir) {
    List<String> out = new ArrayList<>();
    forEachJsonLine(dir, n -> out.add(n.get("question").asText()));
    return out;
  }

  private static void forEachJsonLine(Path dir, java.util.function.Consumer<JsonNode> f) {
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
          .toList()) {
        try (BufferedReader r = Files.newBufferedReader(p)) {
          String line;
          while ((line = r.readLine()) != null) {
            f.accept(JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
