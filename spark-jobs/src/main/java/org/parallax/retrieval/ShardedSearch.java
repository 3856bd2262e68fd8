package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The distributed search, by default with exact global BM25, for any job that has queries as a
 * DataFrame ({@code query_id, question}): each task searches its queries against every shard of
 * the index (copied, verified and opened once per executor JVM), with the corpus-wide collection
 * statistics and each query's term statistics summed over the shards; the per-shard top-k lists
 * are merged by score, ties broken by passage id. Results equal those of one index over the whole
 * corpus. One narrow stage: no cross join of queries with shards, no shuffle of hits. The same
 * stage runs the exact dense search ({@code e5}: queries encoded on the executors, exact inner
 * product over every dense shard, or each shard's HNSW graph with {@code --dense-search hnsw})
 * and the hybrid fusion of both ({@link RetrieverChoice}).
 */
public final class ShardedSearch {
  private final SparkSession spark;
  private final IndexManifest manifest;
  private final ShardAccess shards;
  private final RetrieverChoice retriever;
  private boolean contents = true;
  private SearchTally tally;

  /** Prepares a BM25 search of the index at {@code index}; reads only its manifest. */
  public ShardedSearch(SparkSession spark, String index, String localDir) {
    this(spark, index, localDir, RetrieverChoice.BM25);
  }

  /**
   * Prepares a search of the index at {@code index} with {@code retriever}; reads only its
   * manifest, and fails when the retriever needs dense shards the index lacks.
   */
  public ShardedSearch(SparkSession spark, String index, String localDir,
      RetrieverChoice retriever) {
    this.spark = spark;
    this.retriever = retriever;
    this.manifest = IndexManifest.read(index, spark.sparkContext().hadoopConfiguration());
    this.shards = new ShardAccess(index, manifest,
        new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()), localDir);
    retriever.checkIndex(index, manifest);
  }

  /**
   * Whether the results carry the passages' contents (the default); without, they are
   * {@code query_id, rank, doc_id, score[, has_answer]}. Returns this search.
   */
  public ShardedSearch contents(boolean withContents) {
    this.contents = withContents;
    return this;
  }

  /**
   * Counts the result rows and the queries with results into {@code counts} as the searches
   * run (exact where the search is the result stage of its job, {@link SearchTally}). Returns
   * this search.
   */
  ShardedSearch tally(SearchTally counts) {
    this.tally = counts;
    return this;
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
   * The top {@code k} passages of each query ({@code query_id, question}): {@code query_id, rank,
   * doc_id, score, contents}. Each partition of queries is searched against every shard in the
   * task (the executor opens each shard once). A query without indexable terms or matches has no
   * rows. Fewer partitions than three per core are spread by query id first.
   */
  public Dataset<Row> search(Dataset<Row> queries, int k) {
    return spread(queries.select("query_id", "question"))
        .mapPartitions(SearchFunctions.search(shards, manifest.analyzer(), k, retriever, false,
            false, contents, tally), Encoders.row(SearchFunctions.hits(false, contents)));
  }

  /**
   * As {@link #search}, for queries with {@code golden_answers}: each hit also has
   * {@code has_answer}, whether its passage contains a gold answer (null when the query has no
   * non-empty answer), the input of {@link AnswerRecall}.
   */
  public Dataset<Row> searchWithAnswers(Dataset<Row> queries, int k) {
    return spread(queries.select("query_id", "question", "golden_answers"))
        .mapPartitions(SearchFunctions.search(shards, manifest.analyzer(), k, retriever, true,
            false, contents, tally), Encoders.row(SearchFunctions.hits(true, contents)));
  }

  /**
   * As {@link #search} (or {@link #searchWithAnswers} with {@code answers}), for queries
   * ({@code query_id, vector[, golden_answers]}) that come with their embeddings, searched by
   * the exact (or HNSW) dense search of {@code --retriever e5}.
   */
  public Dataset<Row> searchVectors(Dataset<Row> queries, int k, boolean answers) {
    Dataset<Row> q = answers ? queries.select("query_id", "vector", "golden_answers")
        : queries.select("query_id", "vector");
    return spread(q).mapPartitions(SearchFunctions.search(shards, manifest.analyzer(), k,
        retriever, answers, true, contents, tally), Encoders.row(SearchFunctions.hits(answers,
        contents)));
  }

  /**
   * Queries spread by id over three tasks per core when they have fewer partitions: with one
   * task per core (input splits by bytes, not by queries), the core whose queries finish first
   * idles until the last one ends (measured: 20 s of a 37 s stage on 2 cores).
   */
  private Dataset<Row> spread(Dataset<Row> q) {
    int tasks = 3 * spark.sparkContext().defaultParallelism();
    return q.rdd().getNumPartitions() < tasks ? q.repartition(tasks, col("query_id")) : q;
  }

  /**
   * The queries ({@code query_id, question}) with more distinct analysed terms than Lucene's
   * clause limit, as {@link #search} treats them ({@link ClauseLimit}): {@code query_id,
   * terms_kept, terms_dropped}; {@code terms_dropped > 0} means the query was cut. Only texts
   * longer than the limit in characters can have that many terms (a term is at least one
   * character), so the rest are skipped without analysis.
   */
  public Dataset<Row> clauseLimited(Dataset<Row> queries) {
    return queries.select("query_id", "question")
        .filter(length(col("question")).gt(ClauseLimit.limit()))
        .mapPartitions(SearchFunctions.clauseLimited(shards, manifest.analyzer()),
            Encoders.row(SearchFunctions.CLAUSE_LIMITED));
  }

  /** Counts of {@link #clauseLimited}: queries over the clause limit, and those of them cut. */
  public long[] clauseLimitCounts(Dataset<Row> queries) {
    Row r = clauseLimited(queries).agg(
        org.apache.spark.sql.functions.count("*"),
        org.apache.spark.sql.functions.sum(
            org.apache.spark.sql.functions.when(col("terms_dropped").gt(0), 1).otherwise(0)))
        .first();
    return new long[] {r.getLong(0), r.isNullAt(1) ? 0 : r.getLong(1)};
  }
}
