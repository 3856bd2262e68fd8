package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.CommonOptions;
import org.parallax.common.InputFormat;
import org.parallax.common.InputSchema;
import org.parallax.common.Job;
import org.parallax.common.JobContext;

/**
 * {@code retrieval search}: batch BM25 search over a sharded index with exact global statistics,
 * so results equal those of one index over the whole corpus. Four steps: queries are analysed
 * into terms; each shard looks up the document and total frequencies of the distinct query terms,
 * which are summed per term; every shard is searched with the corpus-wide collection statistics
 * (from the manifest) and each query's global term statistics; the per-shard top-k lists are
 * merged by score, ties broken by passage id. Writes {@code results/} ({@code query_id, rank,
 * doc_id, score, contents}) and {@code no_hits/} (queries without any result, with the reason),
 * and answer recall@k when the queries carry {@code golden_answers}.
 */
public final class SearchJob implements Job<SearchOptions> {
  @Override
  public String name() {
    return "retrieval search";
  }

  @Override
  public CommonOptions common(SearchOptions options) {
    return options.common();
  }

  @Override
  public void run(JobContext ctx, SearchOptions o) {
    IndexManifest manifest = IndexManifest.read(o.index(),
        ctx.spark().sparkContext().hadoopConfiguration());
    Dataset<Row> queries = readQueries(ctx, o).cache();
    ShardAccess shards = new ShardAccess(o.index(), manifest,
        new SerializableConfiguration(ctx.spark().sparkContext().hadoopConfiguration()),
        o.localDir());
    Dataset<Row> shardIds = ctx.spark().range(manifest.shards()).select(col("id").cast("int")
        .as("shard"));

    Dataset<Row> terms = queries.select("query_id", "question")
        .mapPartitions(SearchFunctions.analyze(manifest.analyzer()),
            Encoders.row(SearchFunctions.QUERY_TERMS)).cache();
    Dataset<Row> termStats = terms.select("term").distinct().crossJoin(shardIds)
        .repartition(manifest.shards(), col("shard"))
        .mapPartitions(SearchFunctions.termStats(shards), Encoders.row(SearchFunctions.TERM_STATS))
        .groupBy("term").agg(sum("df").as("df"), sum("ttf").as("ttf"));
    Dataset<Row> queryStats = terms.join(termStats, "term")
        .groupBy("query_id").agg(collect_list(struct("term", "count", "df", "ttf")).as("terms"));
    Dataset<Row> hits = queryStats.crossJoin(shardIds)
        .repartition(manifest.shards(), col("shard"))
        .select("query_id", "shard", "terms")
        .mapPartitions(SearchFunctions.search(shards, manifest.collectionStats(), o.k()),
            Encoders.row(SearchFunctions.SHARD_HITS));
    Dataset<Row> results = hits.withColumn("rank", row_number().over(Window
            .partitionBy("query_id").orderBy(col("score").desc(), col("doc_id"))))
        .filter(col("rank").leq(o.k()))
        .select("query_id", "rank", "doc_id", "score", "contents");
    ctx.report().time("search", () -> results.write().parquet(ctx.out().path("results")));
    Dataset<Row> written = ctx.spark().read().parquet(ctx.out().path("results"));

    Dataset<Row> withTerms = terms.select("query_id").distinct().withColumn("has_terms", lit(true));
    Dataset<Row> noHits = queries.select("query_id")
        .join(written.select("query_id").distinct(), "query_id", "left_anti")
        .join(withTerms, "query_id", "left")
        .select(col("query_id"), when(col("has_terms").isNull(),
            "no indexable terms (only stop words or punctuation)")
            .otherwise("no passage matches any query term").as("reason"));
    ctx.report().time("no hits", () -> noHits.write().parquet(ctx.out().path("no_hits")));

    long n = queries.count();
    long missing = ctx.spark().read().parquet(ctx.out().path("no_hits")).count();
    double searchSeconds = ctx.report().stages.get(0).seconds();
    ctx.report().count("queries", n).count("queries_without_results", missing)
        .count("results", written.count()).count("shards", manifest.shards())
        .count("documents", manifest.documents())
        .metric("queries_per_second", n / searchSeconds)
        .output("results", ctx.out().finalPath("results"))
        .output("no_hits", ctx.out().finalPath("no_hits"));
    if (Arrays.asList(queries.columns()).contains("golden_answers")) {
      Map<String, Double> recall = AnswerRecall.compute(written, queries, o.k());
      recall.forEach((key, v) -> ctx.report().metric(key, v));
    }
    queries.unpersist();
    terms.unpersist();
  }

  private static Dataset<Row> readQueries(JobContext ctx, SearchOptions o) {
    InputSchema schema = InputSchema.named("queries")
        .required("id", DataTypes.StringType)
        .required(o.queryField(), DataTypes.StringType)
        .optional("golden_answers", DataTypes.createArrayType(DataTypes.StringType))
        .optional("data_source", DataTypes.StringType)
        .rule("empty_query", "empty query text", trim(col(o.queryField())).equalTo(""))
        .build();
    return ctx.reader().read(o.queries(), InputFormat.of(o.queries(), o.format()), schema)
        .withColumnRenamed("id", "query_id").withColumnRenamed(o.queryField(), "question");
  }
}
