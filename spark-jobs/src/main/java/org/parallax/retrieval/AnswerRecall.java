package org.parallax.retrieval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.text.AnswerNormalizer;

/**
 * Answer recall@k of a retrieval run, as Search-R1 and DPR report it: a query counts as answered
 * at k when one of its top-k passages contains one of its gold answers, both normalised as in
 * {@link AnswerNormalizer} and matched on whole tokens. The match is made in the search task,
 * where the passage text is ({@code has_answer}); recall is then a small aggregation.
 */
public final class AnswerRecall {
  public static final int[] CUTOFFS = {1, 3, 5, 10, 20};
  private static final UserDefinedFunction NORMALIZE = udf(
      (UDF1<String, String>) AnswerNormalizer::normalize, DataTypes.StringType);

  private AnswerRecall() {}

  /**
   * {@link AnswerNormalizer#normalize} of a string column (a UDF: Spark's regular expressions and
   * {@code lower} are Java's, which differ from Python's on Unicode).
   */
  public static Column normalize(Column s) {
    return NORMALIZE.apply(s);
  }

  /**
   * recall@k for the cutoffs up to {@code k}, from results ({@code query_id, rank, has_answer},
   * see {@link ShardedSearch#searchWithAnswers}) and queries ({@code query_id, golden_answers}):
   * the denominator is every query with a non-empty normalised answer, found or not.
   */
  public static Map<String, Double> compute(Dataset<Row> results, Dataset<Row> queries, int k) {
    long n = queries.filter(exists(col("golden_answers"),
        a -> normalize(a).notEqual(""))).count();
    Column[] aggs = new Column[CUTOFFS.length];
    for (int i = 0; i < CUTOFFS.length; i++) {
      aggs[i] = sum(when(col("first_rank").leq(CUTOFFS[i]), 1).otherwise(0));
    }
    Row r = results.filter(col("has_answer"))
        .groupBy("query_id").agg(min("rank").as("first_rank"))
        .agg(aggs[0], java.util.Arrays.copyOfRange(aggs, 1, aggs.length)).first();
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("queries_with_answers", (double) n);
    for (int i = 0; i < CUTOFFS.length; i++) {
      if (CUTOFFS[i] <= k && n > 0) {
        out.put("recall@" + CUTOFFS[i], r.isNullAt(i) ? 0.0 : r.getLong(i) / (double) n);
      }
    }
    return out;
  }
}
