package org.parallax.retrieval;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobReport;
import org.parallax.common.TableReader;

/**
 * {@code retrieval index}: a passage corpus to N Lucene BM25 shards in one pass over the input.
 * Passages are assigned by a stable hash of their id ({@code pmod(xxhash64(id), N)}) and shuffled
 * to one build task per shard, sorted by id ({@link ShardExchange}); each task builds its shard
 * on executor-local disk, copies it to the output and reports its statistics, and
 * {@code manifest.json} records what was built. Malformed rows travel through the same shuffle and are quarantined by the build tasks
 * (JSON lines under {@code _quarantine/corpus/}); of passages sharing an id the smallest contents
 * is kept and the others go to {@code _quarantine/corpus_duplicate_ids/}. The bad-row tolerance is
 * checked once the counts are in, before anything is committed.
 */
public final class IndexJob implements Job<IndexOptions> {
  static final String MALFORMED = "_quarantine/corpus";
  static final String DUPLICATES = "_quarantine/corpus_duplicate_ids";

  @Override
  public String name() {
    return "retrieval index";
  }

  @Override
  public java.util.List<String> inputs(IndexOptions o) {
    return o.dense().vectors() == null ? java.util.Arrays.asList(o.corpus())
        : java.util.Arrays.asList(o.corpus(), o.dense().vectors());
  }

  @Override
  public void run(JobContext ctx, IndexOptions o) {
    CorpusSchema.Corpus corpus = CorpusSchema.check(ctx, o.corpus(), o.format());
    Column good = col(TableReader.REASON).equalTo("");
    Column id = coalesce(col("id"), lit(""));
    Dataset<Row> rows = corpus.input().checked().select(shardOf(id, o.shards()).as("shard"),
        id.as("id"), when(good, corpus.contents()).otherwise(lit("")).as("contents"),
        when(good, lit("")).otherwise(concat(col(TableReader.CODES), lit("\n"),
            to_json(struct(corpus.input().rawColumns())))).as("bad"));
    ShardBuilder builder = new ShardBuilder(ctx.out().path("shards"), ctx.out().path(DUPLICATES),
        ctx.out().path(MALFORMED),
        new SerializableConfiguration(ctx.spark().sparkContext().hadoopConfiguration()),
        o.analyzer(), o.bm25(), o.ramBufferMb(), o.localDir());
    DenseManifest.Source encoder = null;
    if (o.dense().vectors() != null) {
      VectorImport.Attached imported = new VectorImport(ctx.spark(), o.dense().vectors(),
          "--vectors").attach(rows, "id", o.corpus());
      rows = imported.rows();
      encoder = new DenseManifest.Source(DenseOptions.IMPORTED, o.dense().vectors(), null,
          imported.dimension());
      builder.withDense(ctx.out().staging().toString(), encoder.dimension(), o.dense().hnsw());
    } else if (o.dense().dense()) {
      EncoderAccess access = EncoderAccess.resolve(o.dense().encoder(),
          o.dense().encoderThreads(), o.dense().encodeBatch(), o.localDir(),
          ctx.spark().sparkContext().hadoopConfiguration());
      encoder = DenseManifest.Source.of(access);
      builder.withDense(ctx.out().staging().toString(), encoder.dimension(), o.dense().hnsw());
      rows = encode(ctx, rows, access);
    } else {
      rows = rows.withColumn("vector", lit(null).cast("binary"));
    }
    // The contents travel as their UTF-8 bytes: no decoding to Java text here, no re-encoding by
    // the shuffle or for the shard's texts file.
    rows = rows.withColumn("contents", col("contents").cast("binary"));
    // Reports come back as JSON text: Spark's Kryo cannot construct Java records.
    JavaRDD<String> built = ShardExchange.sorted(rows, o.shards()).queryExecution().toRdd()
        .toJavaRDD().mapPartitionsWithIndex((i, it) -> List.of(JobReport.json()
            .writeValueAsString(builder.build(i, it))).iterator(), true);
    List<ShardBuildReport> reports = new ArrayList<>();
    List<String> builtJson = ctx.report().time("build shards", built::collect);
    double buildSeconds = ctx.report().stages.get(ctx.report().stages.size() - 1).seconds();
    for (String json : builtJson) {
      try {
        reports.add(JobReport.json().readValue(json, ShardBuildReport.class));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("unreadable shard report " + json, e);
      }
    }
    account(ctx, corpus, reports);
    List<IndexManifest.Shard> shards = reports.stream().map(ShardBuildReport::shard)
        .sorted(Comparator.comparingInt(IndexManifest.Shard::shard)).toList();
    long docs = shards.stream().mapToLong(IndexManifest.Shard::docs).sum();
    long bytes = shards.stream().mapToLong(IndexManifest.Shard::bytes).sum();
    IndexManifest.Dense dense = encoder == null ? null
        : DenseManifest.of(ctx, encoder, o.dense(), reports, o.localDir());
    IndexManifest manifest = new IndexManifest(IndexManifest.FORMAT,
        org.apache.lucene.util.Version.LATEST.toString(), o.corpus(), o.shards(), docs, bytes,
        o.analyzer(), o.bm25(), shards, dense);
    try {
      ctx.out().writeText(IndexManifest.FILE, JobReport.json().writeValueAsString(manifest));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    ctx.report().count("documents", docs).count("shards", o.shards()).count("bytes", bytes)
        .metric("docs_per_second", docs / buildSeconds)
        .metric("max_shard_docs", shards.stream().mapToLong(IndexManifest.Shard::docs).max()
            .orElse(0))
        .metric("min_shard_docs", shards.stream().mapToLong(IndexManifest.Shard::docs).min()
            .orElse(0))
        .output("manifest", ctx.out().finalPath(IndexManifest.FILE))
        .output("shards", ctx.out().finalPath("shards"));
    if (dense != null) {
      ctx.report().output("dense", ctx.out().finalPath("dense"));
    }
  }

  /**
   * Adds each well-formed passage's embedding ({@link PassageEncoding}). The rows are first spread
   * evenly (round robin) over at least as many partitions as the cluster has cores: input splits
   * can be very uneven (a single JSONL file may come as one full and one empty split), and the
   * encoding costs far more than this extra shuffle of the text.
   */
  private static Dataset<Row> encode(JobContext ctx, Dataset<Row> rows, EncoderAccess encoder) {
    int cores = ctx.spark().sparkContext().defaultParallelism();
    rows = rows.repartition(Math.max(cores, rows.rdd().getNumPartitions()));
    return rows.mapPartitions(new PassageEncoding(encoder),
        org.apache.spark.sql.Encoders.row(PassageEncoding.SCHEMA));
  }

  /** Sums the tasks' input counts into the report; fails when too many rows were malformed. */
  private static void account(JobContext ctx, CorpusSchema.Corpus corpus,
      List<ShardBuildReport> reports) {
    long rows = 0;
    long bad = 0;
    long duplicates = 0;
    Map<String, Long> reasons = new TreeMap<>();
    for (ShardBuildReport r : reports) {
      rows += r.inputRows();
      bad += r.malformed();
      duplicates += r.duplicateIds();
      r.malformedReasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
    }
    ctx.report().count("duplicate_ids_quarantined", duplicates);
    corpus.input().account(ctx, rows, bad, reasons, bad > 0 ? MALFORMED : null);
  }

  /** The shard of a passage: a stable hash of its id, the same in every Spark version. */
  static Column shardOf(Column id, int shards) {
    return pmod(xxhash64(id), lit(shards)).cast("int");
  }
}
