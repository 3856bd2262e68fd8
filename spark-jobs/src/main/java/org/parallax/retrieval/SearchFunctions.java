package org.parallax.retrieval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.parallax.common.LazyFlatMap;
import org.parallax.common.PerRow;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The executor-side steps of the distributed search, each a {@code mapPartitions} over rows:
 * analysing queries into terms, looking up term statistics in a shard, searching a shard with
 * global statistics. Everything relational around them (distinct terms, sums, joins, the top-k
 * merge) is DataFrame operators.
 */
final class SearchFunctions {
  static final StructType QUERY_TERMS = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("term", DataTypes.StringType, false)
      .add("count", DataTypes.IntegerType, false);
  static final StructType TERM_STATS = new StructType()
      .add("term", DataTypes.StringType, false)
      .add("shard", DataTypes.IntegerType, false)
      .add("df", DataTypes.LongType, false)
      .add("ttf", DataTypes.LongType, false);
  static final StructType SHARD_HITS = new StructType()
      .add("query_id", DataTypes.StringType, false)
      .add("shard", DataTypes.IntegerType, false)
      .add("doc_id", DataTypes.StringType, false)
      .add("score", DataTypes.FloatType, false)
      .add("contents", DataTypes.StringType, false);

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

  /** (term, shard) to (term, shard, df, ttf) from that shard. */
  static MapPartitionsFunction<Row, Row> termStats(ShardAccess shards) {
    return PerRow.map(r -> {
      GlobalStats one = new GlobalStats();
      shards.open(r.getInt(1)).addTermStats(List.of(r.getString(0)), one);
      long[] s = one.term(r.getString(0));
      return RowFactory.create(r.getString(0), r.getInt(1), s[0], s[1]);
    });
  }

  /**
   * (query_id, shard, terms: array of (term, count, df, ttf)) to the shard's top-k hits, scored
   * with the corpus-wide collection statistics and the query's global term statistics.
   */
  static MapPartitionsFunction<Row, Row> search(ShardAccess shards, GlobalStats collection,
      int k) {
    return rows -> new LazyFlatMap<Row, Row>(rows, r -> {
        List<Row> out = new ArrayList<>();
        String queryId = r.getString(0);
        int shard = r.getInt(1);
        Map<String, Integer> counts = new LinkedHashMap<>();
        GlobalStats stats = collection.copyCollection();
        for (Row t : r.<Row>getList(2)) {
          counts.put(t.getString(0), t.getInt(1));
          stats.addTerm(t.getString(0), t.getLong(2), t.getLong(3));
        }
        Query query = QueryTerms.toQuery(counts);
        for (Hit h : shards.open(shard).search(query, stats, k)) {
          out.add(RowFactory.create(queryId, shard, h.docId(), h.score(), h.contents()));
        }
        return out;
      });
  }
}
