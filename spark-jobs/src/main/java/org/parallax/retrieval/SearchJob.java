package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.CheckedInput;
import org.parallax.common.InputFormat;
import org.parallax.common.InputSchema;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.common.JobFailedException;
import org.parallax.common.TableReader;

/**
 * {@code retrieval search}: batch search over a sharded index ({@link ShardedSearch}): BM25 with
 * exact global statistics, so results equal those of one index over the whole corpus; exact e5
 * inner product, equal to a brute-force search over all embeddings; or their hybrid fusion. Writes
 * {@code results/} ({@code query_id, rank, doc_id, score, contents} (no contents with
 * {@code --no-contents}), and {@code has_answer} when
 * some query gives {@code golden_answers}) and {@code no_hits/} (queries without any result,
 * with the reason), and answer recall@k when some query gives {@code golden_answers}. The
 * report's counts of results and of queries without results are counted by the search tasks
 * ({@link SearchTally}). Queries
 * with more distinct terms than Lucene's clause limit are searched with the terms
 * {@link ClauseLimit} keeps and counted ({@code queries_over_clause_limit}, and
 * {@code queries_cut_to_clause_limit} for those that lost terms occurring in the corpus).
 */
public final class SearchJob implements Job<SearchOptions> {
  private static final StructType NO_HITS = new StructType()
      .add("query_id", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false);

  @Override
  public String name() {
    return "retrieval search";
  }

  @Override
  public java.util.List<String> inputs(SearchOptions o) {
    return o.queryVectors() == null ? java.util.Arrays.asList(o.index(), o.queries())
        : java.util.Arrays.asList(o.index(), o.queries(), o.queryVectors());
  }

  @Override
  public void run(JobContext ctx, SearchOptions o) {
    SearchTally tally = new SearchTally(ctx.spark());
    ShardedSearch search = new ShardedSearch(ctx.spark(), o.index(), o.localDir(),
        o.retriever()).contents(o.contents()).tally(tally);
    IndexManifest manifest = search.manifest();
    checkEncoder(o, manifest);
    Queries read = readQueries(ctx, o);
    Dataset<Row> queries = read.accepted();
    boolean answers = read.withAnswers() > 0;
    Dataset<Row> results = o.queryVectors() != null
        ? search.searchVectors(withVectors(ctx, o, manifest, queries), o.k(), answers)
        : answers ? search.searchWithAnswers(queries, o.k()) : search.search(queries, o.k());
    ctx.report().time("search", () -> results.write().parquet(ctx.out().path("results")));
    long n = read.count();
    long missing = ctx.report().time("no hits", () -> writeNoHits(ctx, search, queries,
        n - tally.answered()));

    long[] clauseLimited = read.longTexts() == 0 ? new long[2]
        : search.clauseLimitCounts(queries);
    double searchSeconds = ctx.report().stages.get(0).seconds();
    ctx.report().count("queries", n).count("queries_without_results", missing)
        .count("results", tally.results()).count("shards", manifest.shards())
        .count("documents", manifest.documents())
        .count("queries_over_clause_limit", clauseLimited[0])
        .count("queries_cut_to_clause_limit", clauseLimited[1])
        .metric("retriever", o.retriever().toString())
        .metric("queries_per_second", n / searchSeconds)
        .output("results", ctx.out().finalPath("results"))
        .output("no_hits", ctx.out().finalPath("no_hits"));
    if (answers) {
      Map<String, Double> recall = AnswerRecall.compute(
          ctx.spark().read().parquet(ctx.out().path("results")), queries, o.k());
      recall.forEach((key, v) -> ctx.report().metric(key, v));
    }
    read.cached().unpersist();
  }

  /**
   * Writes {@code no_hits/} ({@code query_id, reason}) and returns its rows. When the search
   * counted a result for every query ({@code unanswered} is 0) it is written empty without
   * another pass; otherwise the queries without a rank-1 row in the written results are found
   * and only those are analysed again, for the reason. A query with results has exactly one
   * rank-1 row, so no distinct over every hit is needed.
   */
  private static long writeNoHits(JobContext ctx, ShardedSearch search, Dataset<Row> queries,
      long unanswered) {
    String path = ctx.out().path("no_hits");
    if (unanswered == 0) {
      ctx.spark().createDataFrame(java.util.List.of(), NO_HITS).write().parquet(path);
      return 0;
    }
    Dataset<Row> written = ctx.spark().read().parquet(ctx.out().path("results"));
    Dataset<Row> without = queries.select("query_id", "question")
        .join(written.filter(col("rank").equalTo(1)).select("query_id"), "query_id",
            "left_anti");
    Dataset<Row> withTerms = search.terms(without).select("query_id").distinct()
        .withColumn("has_terms", lit(true));
    without.select("query_id")
        .join(withTerms, "query_id", "left")
        .select(col("query_id"), when(col("has_terms").isNull(),
            "no indexable terms (only stop words or punctuation)")
            .otherwise("no passage matches any query term").as("reason"))
        .write().parquet(path);
    return ctx.spark().read().parquet(path).count();
  }

  /** The queries with their imported embeddings, checked against the index's dimension. */
  private static Dataset<Row> withVectors(JobContext ctx, SearchOptions o,
      IndexManifest manifest, Dataset<Row> queries) {
    VectorImport.Attached a = new VectorImport(ctx.spark(), o.queryVectors(), "--query-vectors")
        .attach(queries, "query_id", o.queries());
    if (a.dimension() != manifest.dense().dimension()) {
      throw new JobFailedException("--query-vectors " + o.queryVectors() + " has "
          + a.dimension() + " dimensions, the embeddings of index " + o.index() + " "
          + manifest.dense().dimension());
    }
    return a.rows();
  }

  /**
   * Fails before any work when the retriever must encode query text but the index's embeddings
   * were imported (no encoder is known for them).
   */
  private static void checkEncoder(SearchOptions o, IndexManifest manifest) {
    if (o.retriever().dense() && o.queryVectors() == null && manifest.dense() != null
        && DenseOptions.IMPORTED.equals(manifest.dense().encoder())) {
      throw new JobFailedException("index " + o.index() + " holds embeddings imported with "
          + "--vectors, so query text cannot be encoded for --retriever " + o.retriever().name()
          + "; give the queries' embeddings with --query-vectors");
    }
  }

  /**
   * The well-formed queries ({@code query_id, question[, golden_answers, data_source]}), their
   * number, how many of them are longer in characters than the clause limit (only those can
   * have more terms, {@link ShardedSearch#clauseLimited}), how many carry
   * {@code golden_answers} (JSON and CSV queries have the column whether or not a row gives it:
   * recall and {@code has_answer} come only when some query does), and the cached checked input
   * they are read from.
   */
  private record Queries(Dataset<Row> accepted, long count, long longTexts, long withAnswers,
      Dataset<Row> cached) {}

  /**
   * Reads the queries once: the checked input is cached by the pass that counts its rows and
   * malformed rows, and the search and the later passes read the cache, not the file again.
   */
  private static Queries readQueries(JobContext ctx, SearchOptions o) {
    InputSchema schema = InputSchema.named("queries")
        .required("id", DataTypes.StringType)
        .required(o.queryField(), DataTypes.StringType)
        .optional("golden_answers", DataTypes.createArrayType(DataTypes.StringType))
        .optional("data_source", DataTypes.StringType)
        .rule("empty_query", "empty query text", trim(col(o.queryField())).equalTo(""))
        .build();
    CheckedInput in = ctx.reader().check(o.queries(), InputFormat.of(o.queries(), o.format()),
        schema);
    Dataset<Row> cached = in.checked().cache();
    Column wellFormed = TableReader.wellFormed();
    Row totals = cached.agg(count(lit(1)), sum(when(wellFormed, 0).otherwise(1)),
        sum(when(wellFormed.and(length(col(o.queryField())).gt(ClauseLimit.limit())), 1)
            .otherwise(0)),
        sum(when(wellFormed.and(col("golden_answers").isNotNull()), 1).otherwise(0))).first();
    long rows = totals.getLong(0);
    long bad = totals.isNullAt(1) ? 0 : totals.getLong(1);
    ctx.reader().account(in, rows, bad);
    return new Queries(in.accepted().withColumnRenamed("id", "query_id")
        .withColumnRenamed(o.queryField(), "question"), rows - bad,
        totals.isNullAt(2) ? 0 : totals.getLong(2), totals.isNullAt(3) ? 0 : totals.getLong(3),
        cached);
  }
}
