package org.parallax.retrieval;

import java.util.ArrayList;
import java.util.Iterator;
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
  /** {@link #HITS} without the contents ({@code --no-contents}). */
  static final StructType HIT_IDS = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("rank", DataTypes.IntegerType, false)
      .add("doc_id", DataTypes.StringType, false)
      .add("score", DataTypes.FloatType, false);
  static final StructType HIT_IDS_WITH_ANSWERS = HIT_IDS.add("has_answer",
      DataTypes.BooleanType, true);

  /** The schema of {@link #search}'s rows. */
  static StructType hits(boolean answers, boolean contents) {
    return contents ? (answers ? HITS_WITH_ANSWERS : HITS)
        : (answers ? HIT_IDS_WITH_ANSWERS : HIT_IDS);
  }

  static final StructType CLAUSE_LIMITED = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("terms_kept", DataTypes.IntegerType, false)
      .add("terms_dropped", DataTypes.IntegerType, false);

  static final int QUERY_BATCH = 64;

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
   * score, contents), with the chosen retriever: the shards (and the encoder) are opened once per
   * executor JVM and searched in this task, {@value #QUERY_BATCH} queries at a time (a dense
   * retriever encodes them together); a query without hits (no indexable terms, no matching
   * passage) has no rows. With {@code answers}, rows are (query_id, question, golden_answers) and
   * each hit also says whether its passage contains one of the query's gold answers
   * ({@link AnswerNormalizer#containsAnyAnswer}; null when the query has no non-empty answer):
   * answer recall is then an aggregation over small columns, checked where the passage text
   * already is.
   */
  static MapPartitionsFunction<Row, Row> search(ShardAccess shards, AnalyzerConfig analyzer,
      int k, RetrieverChoice choice, boolean answers) {
    return search(shards, analyzer, k, choice, answers, false, true, null);
  }

  /**
   * {@link #search}, or with {@code vectors} the same over rows whose second column is the
   * query's embedding (little-endian float32 bytes) instead of its text, searched by the dense
   * index without encoding. Without {@code contents} the rows have no contents column
   * ({@link #hits}), and a BM25 search, or a dense search of query vectors, reads only the ids
   * of its hits for a batch in which no query has a gold answer. A non-null {@code tally} counts
   * each query's result rows as they are made.
   */
  static MapPartitionsFunction<Row, Row> search(ShardAccess shards, AnalyzerConfig analyzer,
      int k, RetrieverChoice choice, boolean answers, boolean vectors, boolean contents,
      SearchTally tally) {
    return rows -> {
      Retriever retriever = shards.open(analyzer, choice);
      Iterator<List<Row>> batches = new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public List<Row> next() {
          List<Row> batch = new ArrayList<>(QUERY_BATCH);
          while (batch.size() < QUERY_BATCH && rows.hasNext()) {
            Row r = rows.next();
            if (!r.isNullAt(1)) {
              batch.add(r);
            }
          }
          return batch;
        }
      };
      return new LazyFlatMap<List<Row>, Row>(batches, batch -> {
        boolean text = contents || answers && anyGold(batch);
        List<List<Hit>> results = batch.isEmpty() ? List.of()
            : vectors ? searchVectors(retriever, batch, k, text)
            : searchTexts(retriever, batch, k, text);
        List<Row> out = new ArrayList<>();
        for (int q = 0; q < batch.size(); q++) {
          Row query = batch.get(q);
          List<Hit> hits = results.get(q);
          List<String> gold = answers && !hits.isEmpty() ? goldAnswers(query) : List.of();
          for (int i = 0; i < hits.size(); i++) {
            out.add(row(query.getString(0), i + 1, hits.get(i), contents, answers, gold));
          }
          if (tally != null) {
            tally.query(hits.size());
          }
        }
        return out;
      });
    };
  }

  private static List<List<Hit>> searchTexts(Retriever retriever, List<Row> batch, int k,
      boolean contents) {
    List<String> texts = new ArrayList<>(batch.size());
    batch.forEach(r -> texts.add(r.getString(1)));
    return !contents && retriever instanceof ShardedIndex bm25 ? bm25.searchIds(texts, k)
        : retriever.searchAll(texts, k);
  }

  /** One output row of {@link #hits}{@code (answers, contents)}. */
  private static Row row(String queryId, int rank, Hit h, boolean contents, boolean answers,
      List<String> gold) {
    Boolean hasAnswer = !answers || gold.isEmpty() ? null
        : AnswerNormalizer.containsAnyAnswer(h.contents(), gold);
    if (contents) {
      return answers ? RowFactory.create(queryId, rank, h.docId(), h.score(), h.contents(),
          hasAnswer) : RowFactory.create(queryId, rank, h.docId(), h.score(), h.contents());
    }
    return answers ? RowFactory.create(queryId, rank, h.docId(), h.score(), hasAnswer)
        : RowFactory.create(queryId, rank, h.docId(), h.score());
  }

  private static List<List<Hit>> searchVectors(Retriever retriever, List<Row> batch, int k,
      boolean contents) {
    float[][] vectors = new float[batch.size()][];
    for (int q = 0; q < vectors.length; q++) {
      vectors[q] = VectorBytes.floats((byte[]) batch.get(q).get(1));
    }
    return ((org.parallax.retrieval.dense.DenseIndex) retriever).searchVectors(vectors, k,
        contents);
  }

  /** Whether a (query_id, question, golden_answers) row of the batch has a non-empty answer. */
  private static boolean anyGold(List<Row> batch) {
    for (Row r : batch) {
      if (!goldAnswers(r).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** The normalised, non-empty gold answers of a (query_id, question, golden_answers) row. */
  private static List<String> goldAnswers(Row query) {
    List<String> out = new ArrayList<>();
    if (!query.isNullAt(2)) {
      for (Object a : query.getList(2)) {
        String n = AnswerNormalizer.normalize((String) a);
        if (!n.isEmpty()) {
          out.add(n);
        }
      }
    }
    return out;
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
