package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The distributed search with exact global BM25, for any job that has queries as a DataFrame
 * ({@code query_id, question}): queries are analysed into terms; each shard looks up the
 * document and total frequencies of the distinct query terms, summed per term; every shard is
 * searched with the corpus-wide collection statistics (from the manifest) and each query's global
 * term statistics; the per-shard top-k lists are merged by score, ties broken by passage id.
 * Results equal those of one index over the whole corpus.
 */
public final class ShardedSearch {
  private final SparkSession spark;
  private final IndexManifest manifest;
  private final ShardAccess shards;

  /** Prepares a search of the index at {@code index}; reads only its manifest. */
  public ShardedSearch(SparkSession spark, String index, String localDir) {
    this.spark = spark;
    this.manifest = IndexManifest.read(index, spark.sparkContext().hadoopConfiguration());
    this.shards = new ShardAccess(index, manifest,
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()), localDir);
  }

  public IndexManifest manifest() {
    return manifest;
  }

  /** The analysed terms of each query: {@code query_id, term, count}. */
  public Dataset<Row> terms(Dataset<Row> queries) {
    return queries.select("query_id", "question")
        .mapPartitions(SearchFunctions.analyze(manifest.analyzer()),
            Encoders.row(SearchFunctions.QUERY_TERMS));
  }

  /**
   * The top {@code k} passages of each query with terms: {@code query_id, rank, doc_id, score,
   * contents}. A query without indexable terms or matches has no rows.
   */
  public Dataset<Row> search(Dataset<Row> terms, int k) {
    Dataset<Row> shardIds = spark.range(manifest.shards()).select(col("id").cast("int")
        .as("shard"));
    Dataset<Row> termStats = terms.select("term").distinct().crossJoin(shardIds)
        .repartition(manifest.shards(), col("shard"))
        .mapPartitions(SearchFunctions.termStats(shards), Encoders.row(SearchFunctions.TERM_STATS))
        .groupBy("term").agg(sum("df").as("df"), sum("ttf").as("ttf"));
    Dataset<Row> queryStats = terms.join(termStats, "term")
        .groupBy("query_id").agg(collect_list(struct("term", "count", "df", "ttf")).as("terms"));
    Dataset<Row> hits = queryStats.crossJoin(shardIds)
        .repartition(manifest.shards(), col("shard"))
        .select("query_id", "shard", "terms")
        .mapPartitions(SearchFunctions.search(shards, manifest.collectionStats(), k),
            Encoders.row(SearchFunctions.SHARD_HITS));
    return hits.withColumn("rank", row_number().over(Window
            .partitionBy("query_id").orderBy(col("score").desc(), col("doc_id"))))
        .filter(col("rank").leq(k))
        .select("query_id", "rank", "doc_id", "score", "contents");
  }
}
