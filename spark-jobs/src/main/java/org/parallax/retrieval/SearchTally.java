package org.parallax.retrieval;

import java.io.Serializable;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * What the search tasks of {@code retrieval search} counted as they searched: the result rows
 * and the queries with at least one result. The job takes its report's counts and whether any
 * query went without results from here, so no pass over the written results or the queries
 * follows the search. Exact only where the search runs in the result stage of the job that
 * writes it (as {@link SearchJob}'s write does): Spark applies a result task's updates once per
 * partition, whether the task was retried or ran speculatively.
 */
final class SearchTally implements Serializable {
  private static final long serialVersionUID = 1L;
  private final LongAccumulator results;
  private final LongAccumulator answered;

  /** Registers the counters with {@code spark}'s context. */
  SearchTally(SparkSession spark) {
    this.results = spark.sparkContext().longAccumulator("retrieval search: results");
    this.answered = spark.sparkContext().longAccumulator(
        "retrieval search: queries with results");
  }

  /** Counts, in a search task, one query and its {@code hits} result rows. */
  void query(int hits) {
    if (hits > 0) {
      results.add(hits);
      answered.add(1);
    }
  }

  /** Result rows written, read on the driver after the search. */
  long results() {
    return results.value();
  }

  /** Queries with at least one result, read on the driver after the search. */
  long answered() {
    return answered.value();
  }
}
