package org.parallax.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.parallax.common.LazyFlatMap;
import org.parallax.text.AnswerNormalizer;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The executor-side steps of the distributed search, each a {@code mapPartitions} over rows:
 * analysing queries into terms, and searching a partition of queries against every shard in
 * process (no query x shard cross join, no shuffle of hits, no window for the top-k merge).
 */
final class SearchFunctions {
  static final StructType QUERY_TERMS = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("term", DataTypes.StringType, false)
      .add("count", DataTypes.IntegerType, false);
  static final StructType HITS = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("doc_id", DataTypes.StringType, false)
      .add("score", DataTypes.FloatType, false)
      .add("contents", DataTypes.StringType, false);
  /** {@link #HITS} and whether the passage contains a gold answer (null: the query has none). */
  static final StructType HITS_WITH_ANSWERS = HITS.add("has_answer", DataTypes.BooleanType, true);

  static final StructType CLAUSE_LIMITED = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("terms_kept", DataTypes.IntegerType, false)
      .add("terms_dropped", DataTypes.IntegerType, false);

  private SearchFunctions() {}

  /** (query_id, text) to one (query_id, term, count) row per analysed term. */
  static MapPartitionsFunction<Row, Row> analyze(AnalyzerConfig config) {
    return rows -> {
      AnseriniAnalyzer analyzer = config.create();
      return new LazyFlatMap<Row, Row>(rows, r -> {
        List<Row> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : QueryTerms.analyze(analyzer, r.getString(1))
            .entrySet()) {
          out.add(RowFactory.create(r.getString(0), e.getKey(), e.getValue()));
        }
        return out;
      });
    };
  }

  /**
   * (query_id, question) to the query's top-k hits over every shard, (query_id, rank, doc_id,
   * score, contents): the shards are opened once per executor JVM and searched in this task with
   * exact global BM25 ({@link ShardedIndex}); a query without indexable terms or matches has no
   * rows.
   */
  static MapPartitionsFunction<Row, Row> search(ShardAccess shards, AnalyzerConfig analyzer,
      int k) {
    return rows -> {
      ShardedIndex index = shards.openAll(analyzer);
      return new LazyFlatMap<Row, Row>(rows, r -> {
        List<Hit> hits = r.isNullAt(1) ? List.of() : index.search(r.getString(1), k);
        List<Row> out = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
          Hit h = hits.get(i);
          out.add(RowFactory.create(r.getString(0), i + 1, h.docId(), h.score(), h.contents()));
        }
        return out;
      });
    };
  }

  /**
   * As {@link #search}, for rows (query_id, question, golden_answers), each hit also saying
   * whether its passage contains one of the query's gold answers
   * ({@link AnswerNormalizer#containsAnyAnswer}; null when the query has no non-empty answer):
   * answer recall is then an aggregation over small columns, checked where the passage text
   * already is.
   */
  static MapPartitionsFunction<Row, Row> searchWithAnswers(ShardAccess shards,
      AnalyzerConfig analyzer, int k) {
    return rows -> {
      ShardedIndex index = shards.openAll(analyzer);
      return new LazyFlatMap<Row, Row>(rows, r -> {
        List<Hit> hits = r.isNullAt(1) ? List.of() : index.search(r.getString(1), k);
        List<String> answers = new ArrayList<>();
        if (!hits.isEmpty() && !r.isNullAt(2)) {
          for (Object a : r.getList(2)) {
            String n = AnswerNormalizer.normalize((String) a);
            if (!n.isEmpty()) {
              answers.add(n);
            }
          }
        }
        List<Row> out = new ArrayList<>(hits.size());
        for (int i = 0; i < hits.size(); i++) {
          Hit h = hits.get(i);
          Boolean hasAnswer = answers.isEmpty() ? null
              : AnswerNormalizer.containsAnyAnswer(h.contents(), answers);
          out.add(RowFactory.create(r.getString(0), i + 1, h.docId(), h.score(), h.contents(),
              hasAnswer));
        }
        return out;
      });
    };
  }

  /**
   * (query_id, question) to one (query_id, terms_kept, terms_dropped) row per query whose
   * distinct analysed terms exceed Lucene's clause limit ({@link ClauseLimit}); the shards are
   * opened only when such a query comes. Rows are data, not accumulator updates, so a retried
   * task cannot count a query twice.
   */
  static MapPartitionsFunction<Row, Row> clauseLimited(ShardAccess shards,
      AnalyzerConfig analyzer) {
    return rows -> {
      AnseriniAnalyzer terms = analyzer.create();
      List<Row> out = new ArrayList<>();
      ShardedIndex index = null;
      while (rows.hasNext()) {
        Row r = rows.next();
        if (r.isNullAt(1)
            || QueryTerms.analyze(terms, r.getString(1)).size() <= ClauseLimit.limit()) {
          continue;
        }
        index = index == null ? shards.openAll(analyzer) : index;
        ClauseLimit.Selection s = index.clauseLimit(r.getString(1));
        out.add(RowFactory.create(r.getString(0), s.terms().size(), s.dropped()));
      }
      return out.iterator();
    };
  }
}
