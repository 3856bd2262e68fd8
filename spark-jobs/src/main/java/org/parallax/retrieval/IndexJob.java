package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.CommonOptions;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobReport;
import org.parallax.common.TableReader;
import scala.Tuple2;

/**
 * {@code retrieval index}: a passage corpus to N Lucene BM25 shards. Passages are assigned by a
 * stable hash of their id ({@code pmod(xxhash64(id), N)}), each shard is built by one task on
 * executor-local disk and copied to the output, and {@code manifest.json} records what was built.
 * A duplicated id keeps one passage (the smallest contents) and quarantines the others.
 */
public final class IndexJob implements Job<IndexOptions> {
  @Override
  public String name() {
    return "retrieval index";
  }

  @Override
  public CommonOptions common(IndexOptions options) {
    return options.common();
  }

  @Override
  public void run(JobContext ctx, IndexOptions o) {
    Dataset<Row> ranked = CorpusSchema.read(ctx, o.corpus(), o.format())
        .withColumn("_n", row_number().over(Window.partitionBy("id").orderBy("contents")));
    Dataset<Row> duplicates = ranked.filter(col("_n").gt(1)).drop("_n")
        .withColumn(TableReader.REASON, lit("duplicate id (one passage kept)"));
    String dupPath = "_quarantine/corpus_duplicate_ids";
    ctx.report().time("duplicates", () -> duplicates.write().parquet(ctx.out().path(dupPath)));
    long dups = ctx.spark().read().parquet(ctx.out().path(dupPath)).count();
    ctx.report().count("duplicate_ids_quarantined", dups);

    Dataset<Row> passages = ranked.filter(col("_n").equalTo(1))
        .select(functionsShard(o.shards()).as("shard"), col("id"), col("contents"));
    JavaPairRDD<ShardKey, String> keyed = passages.javaRDD().mapToPair(
        r -> new Tuple2<>(new ShardKey(r.getInt(0), r.getString(1)), r.getString(2)));
    ShardBuilder builder = new ShardBuilder(ctx.out().path("shards"),
        new SerializableConfiguration(ctx.spark().sparkContext().hadoopConfiguration()),
        o.analyzer(), o.bm25(), o.ramBufferMb(), o.localDir());
    // Shards come back as JSON text: Spark's Kryo cannot construct Java records.
    JavaRDD<String> built = keyed
        .repartitionAndSortWithinPartitions(new ShardPartitioner(o.shards()))
        .mapPartitionsWithIndex((i, it) -> List.of(JobReport.json().writeValueAsString(
            builder.build(i, it))).iterator(), true);
    List<IndexManifest.Shard> shards = new ArrayList<>();
    for (String json : ctx.report().time("build shards", built::collect)) {
      try {
        shards.add(JobReport.json().readValue(json, IndexManifest.Shard.class));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("unreadable shard report " + json, e);
      }
    }
    shards.sort(java.util.Comparator.comparingInt(IndexManifest.Shard::shard));

    long docs = shards.stream().mapToLong(IndexManifest.Shard::docs).sum();
    long bytes = shards.stream().mapToLong(IndexManifest.Shard::bytes).sum();
    IndexManifest manifest = new IndexManifest(IndexManifest.FORMAT,
        org.apache.lucene.util.Version.LATEST.toString(), o.corpus(), o.shards(), docs, bytes,
        o.analyzer(), o.bm25(), shards);
    try {
      ctx.out().writeText(IndexManifest.FILE, JobReport.json().writeValueAsString(manifest));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    double buildSeconds = ctx.report().stages.get(ctx.report().stages.size() - 1).seconds();
    ctx.report().count("documents", docs).count("shards", o.shards()).count("bytes", bytes)
        .metric("docs_per_second", docs / buildSeconds)
        .metric("max_shard_docs", shards.stream().mapToLong(IndexManifest.Shard::docs).max()
            .orElse(0))
        .metric("min_shard_docs", shards.stream().mapToLong(IndexManifest.Shard::docs).min()
            .orElse(0))
        .output("manifest", ctx.out().finalPath(IndexManifest.FILE))
        .output("shards", ctx.out().finalPath("shards"));
  }

  /** The shard of a passage: a stable hash of its id, the same in every Spark version. */
  static org.apache.spark.sql.Column functionsShard(int shards) {
    return org.apache.spark.sql.functions.pmod(org.apache.spark.sql.functions.xxhash64(col("id")),
        lit(shards)).cast("int");
  }
}
