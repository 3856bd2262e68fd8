package org.parallax.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import org.parallax.retrieval.AnalyzerConfig;
import org.parallax.retrieval.Bm25Config;
import org.parallax.retrieval.DenseOptions;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.IndexJob;
import org.parallax.retrieval.IndexOptions;
import org.parallax.retrieval.dense.BundledE5;
import org.parallax.retrieval.dense.DenseMath;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.retrieval.dense.DenseShardWriter;
import org.parallax.retrieval.dense.E5Encoder;
import org.parallax.retrieval.dense.HnswShard;

/**
 * The dense retrieval benchmark. Encoding: the Spark index job with e5 shards against a plain
 * loop of one DJL predictor in one thread (the same encoder, threads and batch size) over the
 * same passages, in the same run; the job without e5 gives the share of the job that is
 * encoding. Search: the blocked exact search of a dense shard and the HNSW search of its graph
 * against a brute-force scan, one thread each, over the same random unit vectors.
 */
public final class DenseBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public DenseBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /** Runs the benchmark and returns its Markdown section. */
  public String run(long passages, int vectors, int queries) throws Exception {
    return "## Dense retrieval (e5 encoding, exact inner-product search)\n\n"
        + encoding(passages) + search(vectors, queries);
  }

  private String encoding(long n) {
    Path data = work.resolve("data-" + n);
    JobRunner.run(spark, new DatagenJob("retrieval"), new DatagenOptions("retrieval",
        CommonOptions.replacing(data.toString(), seed), n, "jsonl"));
    String corpus = data.resolve("corpus").toString();
    List<String> texts = new ArrayList<>();
    for (Row r : spark.read().json(corpus).select("contents").collectAsList()) {
      texts.add(r.getString(0));
    }
    E5Encoder encoder = E5Encoder.get(BundledE5.directory(), BundledE5.fingerprint(), 1);
    encoder.encode(texts.subList(0, Math.min(20, texts.size())), E5Encoder.PASSAGE, 1);
    index(corpus, 1, DenseOptions.NONE);
    double plain = Stopwatch.seconds(() -> encoder.encode(texts, E5Encoder.PASSAGE, 1));
    double twoLoops = twoPlainLoops(encoder, texts);
    JobReport bm25 = index(corpus, 2, DenseOptions.NONE);
    JobReport e5 = index(corpus, 2, new DenseOptions(List.of("bm25", "e5"), null, 0, 1,
        "exact"));
    double encodeShare = Math.max(1e-9, e5.seconds - bm25.seconds);
    BenchTable t = new BenchTable("encoder", "passages", "seconds", "passages/s",
        "vs plain loop");
    t.row("plain loop: one DJL predictor, 1 thread, batch 1", n, plain, n / plain, 1.0);
    t.row("two plain loops in 2 threads, half the passages each (what 2 cores give the model)",
        n, twoLoops, n / twoLoops, plain / twoLoops);
    t.row("Spark index job, bm25 + e5, 2 shards (whole job)", n, e5.seconds, n / e5.seconds,
        plain / e5.seconds);
    t.row("  of which encoding (job minus the bm25-only job, " + fmt(bm25.seconds) + " s)", n,
        encodeShare, n / encodeShare, plain / encodeShare);
    return "### Encoding (bundled e5-small-v2-q, ONNX Runtime on the CPU)\n\n"
        + "Generated passages (`datagen retrieval`, about 100 made-up words each, so about 300 "
        + "word pieces); the job runs in the same JVM after a warm-up job.\n\n"
        + t.markdown() + "\n";
  }

  /**
   * Seconds two threads take to encode {@code texts}, each a plain loop over its half: the
   * speed-up the machine's cores give the model itself, the ceiling of the job's.
   */
  private static double twoPlainLoops(E5Encoder encoder, List<String> texts) {
    List<String> first = texts.subList(0, texts.size() / 2);
    List<String> second = texts.subList(texts.size() / 2, texts.size());
    return Stopwatch.seconds(() -> {
      Thread other = new Thread(() -> encoder.encode(second, E5Encoder.PASSAGE, 1));
      other.start();
      encoder.encode(first, E5Encoder.PASSAGE, 1);
      try {
        other.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  private JobReport index(String corpus, int shards, DenseOptions dense) {
    return JobRunner.run(spark, new IndexJob(), new IndexOptions(CommonOptions.replacing(
        work.resolve("index-" + shards + "-" + dense.dense()).toString(), seed), corpus, "jsonl",
        shards, 256, AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, null, dense));
  }

  private String search(int n, int q) throws Exception {
    int dim = 384;
    Random r = new Random(seed);
    Path dir = work.resolve("dense-" + n);
    float[][] rows = new float[n][];
    try (DenseShardWriter w = new DenseShardWriter(dir, dim)) {
      for (int i = 0; i < n; i++) {
        rows[i] = unit(r, dim);
        w.add(String.format("%08d", i), rows[i]);
      }
    }
    float[][] queries = new float[q][];
    for (int i = 0; i < q; i++) {
      queries[i] = unit(r, dim);
    }
    double blocked;
    double brute;
    double build;
    double hnsw;
    long found = 0;
    int agree = 0;
    try (DenseShard shard = new DenseShard(dir, dim)) {
      shard.search(java.util.Arrays.copyOf(queries, 8), 10);
      List<List<Hit>> got = new ArrayList<>();
      blocked = Stopwatch.seconds(() -> {
        for (int s = 0; s < q; s += 64) {
          got.addAll(shard.search(java.util.Arrays.copyOfRange(queries, s, Math.min(q, s + 64)),
              10));
        }
      });
      List<List<String>> truth = new ArrayList<>();
      brute = Stopwatch.seconds(() -> {
        for (float[] query : queries) {
          truth.add(bruteForce(rows, query, 10));
        }
      });
      for (int i = 0; i < q; i++) {
        agree += got.get(i).stream().map(Hit::docId).toList().equals(truth.get(i)) ? 1 : 0;
      }
      Path graphDir = work.resolve("hnsw-" + n);
      build = Stopwatch.seconds(() -> HnswShard.write(shard, graphDir));
      try (HnswShard graph = new HnswShard(graphDir)) {
        for (int i = 0; i < 8; i++) {
          graph.search(queries[i], 10, HnswShard.DEFAULT_CANDIDATES, shard);
        }
        List<List<Hit>> approx = new ArrayList<>();
        hnsw = Stopwatch.seconds(() -> {
          for (float[] query : queries) {
            approx.add(graph.search(query, 10, HnswShard.DEFAULT_CANDIDATES, shard));
          }
        });
        for (int i = 0; i < q; i++) {
          List<String> want = truth.get(i);
          found += approx.get(i).stream().filter(h -> want.contains(h.docId())).count();
        }
      }
    }
    BenchTable t = new BenchTable("searcher", "vectors", "queries", "seconds", "queries/s",
        "vs brute force");
    t.row("brute force: each query scans every row (float[][]), top-10 heap, 1 thread", n, q,
        brute, q / brute, 1.0);
    t.row("exact blocked search: 64 queries a call, 256-row blocks of the mapped shard, "
        + "1 thread", n, q, blocked, q / blocked, brute / blocked);
    String peers = peers(t, shard(dir, dim), rows, queries, brute);
    t.row("HNSW graph (Lucene, " + HnswShard.DEFAULT_CANDIDATES + " candidates, exact "
        + "rescoring), 1 thread", n, q, hnsw, q / hnsw, brute / hnsw);
    return "### Dense search (384 dimensions, random unit vectors, top 10)\n\n"
        + t.markdown() + "\nSame top-10 ids for " + agree + " of " + q + " queries (exact). HNSW: "
        + "recall@10 against exact " + fmt(found / (10.0 * q)) + ", graph built in "
        + fmt(build) + " s (one thread, merged to one segment; not in the search times). Random "
        + "vectors are the hard case for a graph search: real embeddings cluster.\n\n" + peers;
  }

  private static DenseShard shard(Path dir, int dim) {
    return new DenseShard(dir, dim);
  }

  /**
   * All queries in one call on 1 thread and split over 2 threads, and FAISS IndexFlatIP
   * ({@link FaissPeer}) on the same vectors with 1 and 2 threads, added to {@code t}; returns
   * the paragraph with the ratios and how many top-10 lists equal FAISS's.
   */
  private String peers(BenchTable t, DenseShard shard, float[][] rows, float[][] queries,
      double brute) throws Exception {
    int q = queries.length;
    List<List<List<Hit>>> got = new ArrayList<>();
    double one = Double.MAX_VALUE;
    double oneCpu = Double.MAX_VALUE;
    double two;
    try (shard) {
      for (int round = 0; round < 3; round++) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        one = Math.min(one, Stopwatch.seconds(() -> got.add(0, shard.search(queries, 10))));
        oneCpu = Math.min(oneCpu, (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
      }
      two = Stopwatch.seconds(() -> halves(shard, queries));
    }
    t.row("exact blocked search, all queries in one call, 1 thread (best of 3)", rows.length, q,
        one, q / one, brute / one);
    t.row("exact blocked search, half the queries in each of 2 threads", rows.length, q, two,
        q / two, brute / two);
    FaissPeer peer = new FaissPeer(work, Path.of("bench", "peers", "faiss_flat_ip.py")
        .toAbsolutePath());
    String[] why = new String[1];
    FaissPeer.Result f1 = peer.run(rows, queries, 10, 1, why);
    FaissPeer.Result f2 = f1 == null ? null : peer.run(rows, queries, 10, 2, why);
    if (f1 == null || f2 == null) {
      return "FAISS peer not measured: " + why[0] + "\n\n";
    }
    t.row("FAISS " + f1.version() + " IndexFlatIP, all queries in one call, 1 thread (peer)",
        rows.length, q, f1.seconds(), q / f1.seconds(), brute / f1.seconds());
    t.row("FAISS IndexFlatIP, 2 threads (peer)", rows.length, q, f2.seconds(),
        q / f2.seconds(), brute / f2.seconds());
    int same = 0;
    for (int i = 0; i < q; i++) {
      List<Integer> ours = got.get(0).get(i).stream().map(h -> Integer.parseInt(h.docId()))
          .toList();
      same += ours.equals(f1.rows().get(i)) ? 1 : 0;
    }
    return "Against FAISS IndexFlatIP in the same run (a separate Python process, "
        + "`bench/peers/faiss_flat_ip.py`, best of 3): per thread by CPU time (the searching "
        + "thread's; the FAISS process's, 1 thread) parallax " + fmt(q / oneCpu) + " q/s, FAISS "
        + fmt(q / f1.cpuSeconds()) + " q/s, parallax / FAISS " + fmt(f1.cpuSeconds() / oneCpu)
        + "x; by wall clock " + fmt(f1.seconds() / one) + "x on 1 thread, "
        + fmt(f2.seconds() / two) + "x on 2 threads; identical top-10 ids for " + same + " of "
        + q + " queries. Kernel: " + DenseShard.kernel() + ".\n\n";
  }

  private static void halves(DenseShard shard, float[][] queries) {
    int mid = queries.length / 2;
    Thread other = new Thread(() -> shard.search(java.util.Arrays.copyOfRange(queries, mid,
        queries.length), 10));
    other.start();
    shard.search(java.util.Arrays.copyOfRange(queries, 0, mid), 10);
    try {
      other.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<String> bruteForce(float[][] rows, float[] q, int k) {
    PriorityQueue<Hit> heap = new PriorityQueue<>(Hit.ORDER.reversed());
    for (int i = 0; i < rows.length; i++) {
      heap.add(new Hit(String.format("%08d", i), DenseMath.dot(q, rows[i], 0, q.length), null));
      if (heap.size() > k) {
        heap.poll();
      }
    }
    List<Hit> top = new ArrayList<>(heap);
    top.sort(Hit.ORDER);
    return top.stream().map(Hit::docId).toList();
  }

  private static float[] unit(Random r, int dim) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) r.nextGaussian();
    }
    DenseMath.normalize(v);
    return v;
  }

  private static String fmt(double d) {
    return BenchTable.format(d);
  }
}
