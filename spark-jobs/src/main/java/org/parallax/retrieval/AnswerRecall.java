package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.parallax.text.AnswerNormalizer;

/**
 * Answer recall@k of a retrieval run, as Search-R1 and DPR report it: a query counts as answered
 * at k when one of its top-k passages contains one of its gold answers, both normalised as in
 * {@link AnswerNormalizer} and matched on whole tokens. Computed with SQL string functions
 * (no UDF), over the queries that have gold answers.
 */
public final class AnswerRecall {
  public static final int[] CUTOFFS = {1, 3, 5, 10, 20};

  private AnswerRecall() {}

  /** {@link AnswerNormalizer#normalize} as a SQL expression. */
  public static Column normalize(Column s) {
    Column t = lower(s);
    t = regexp_replace(t, AnswerNormalizer.PUNCTUATION_CLASS, "");
    t = regexp_replace(t, "\\b(a|an|the)\\b", " ");
    return trim(regexp_replace(t, "\\s+", " "));
  }

  /**
   * recall@k for the cutoffs up to {@code k}, from results ({@code query_id, rank, contents}) and
   * queries ({@code query_id, golden_answers}).
   */
  public static Map<String, Double> compute(Dataset<Row> results, Dataset<Row> queries, int k) {
    Dataset<Row> gold = queries.select(col("query_id"),
        explode(col("golden_answers")).as("answer"))
        .select(col("query_id"), normalize(col("answer")).as("answer"))
        .filter(col("answer").notEqual(""));
    Dataset<Row> passages = results.select(col("query_id").as("rq"), col("rank"),
        concat(lit(" "), normalize(col("contents")), lit(" ")).as("passage"));
    Dataset<Row> firstHit = gold.join(passages, gold.col("query_id").equalTo(passages.col("rq")))
        .filter(col("passage").contains(concat(lit(" "), col("answer"), lit(" "))))
        .groupBy("query_id").agg(min("rank").as("first_rank"));
    Dataset<Row> perQuery = gold.select("query_id").distinct()
        .join(firstHit, "query_id", "left");
    Column[] aggs = new Column[CUTOFFS.length + 1];
    aggs[0] = count(lit(1));
    for (int i = 0; i < CUTOFFS.length; i++) {
      aggs[i + 1] = sum(when(col("first_rank").leq(CUTOFFS[i]), 1).otherwise(0));
    }
    Row r = perQuery.agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length)).first();
    Map<String, Double> out = new LinkedHashMap<>();
    long n = r.getLong(0);
    out.put("queries_with_answers", (double) n);
    for (int i = 0; i < CUTOFFS.length; i++) {
      if (CUTOFFS[i] <= k && n > 0) {
        out.put("recall@" + CUTOFFS[i], r.getLong(i + 1) / (double) n);
      }
    }
    return out;
  }
}
