package org.parallax.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.ReciprocalRankFusion;
import org.parallax.retrieval.Retriever;
import org.parallax.retrieval.RetrieverAccess;
import org.parallax.retrieval.RetrieverChoice;

/**
 * {@code parallax_search(index, query, k[, retriever])}: the top {@code k} passages of a query
 * over a {@code retrieval index} output, as {@code retrieval search} ranks them ({@code bm25},
 * the default, {@code e5} or {@code hybrid}): {@code array<struct<id, score, contents>>}, best
 * first. The index and the retriever are constants, checked while the query is analysed; the
 * shards (and the encoder) are opened once per executor JVM. Null query or k: null; a query
 * without matches (or without indexable terms): an empty array.
 */
final class SearchFunction {
  static final String NAME = "parallax_search";
  static final int MAX_K = 10_000;
  static final StructType HIT = new StructType()
      .add("id", DataTypes.StringType, false)
      .add("score", DataTypes.FloatType, false)
      .add("contents", DataTypes.StringType, false);
  static final DataType HITS = DataTypes.createArrayType(HIT, false);

  private SearchFunction() {}

  static SqlFunction function() {
    return new SqlFunction(NAME, "_FUNC_(index, query, k[, retriever]) - The top k passages of "
        + "query in the retrieval index output at index (retriever bm25, e5 or hybrid; default "
        + "bm25) as array<struct<id, score, contents>>.", args -> {
          FunctionArguments a = new FunctionArguments(NAME, args, 3, 4,
              "(index, query, k[, retriever])");
          RetrieverAccess access = resolve(NAME, a.constant(0, "index"),
              a.constant(3, "retriever", "bm25"));
          return a.call(functions.udf(new Search(access), HITS), a.column(1, "string"),
              a.column(2, "int"));
        });
  }

  /**
   * The index checked for the retriever on the driver, or a one-line error naming
   * {@code function} and the argument.
   */
  static RetrieverAccess resolve(String function, String index, String retriever) {
    RetrieverChoice choice;
    try {
      choice = new RetrieverChoice(retriever, ReciprocalRankFusion.DEFAULT_K);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(function + ": retriever must be bm25, e5 or hybrid, got '"
          + retriever + "'");
    }
    try {
      return RetrieverAccess.resolve(index, SparkSession.active().sessionState().newHadoopConf(),
          null, choice);
    } catch (RuntimeException e) {
      throw FunctionArguments.failure(function, "index '" + index + "'", e);
    }
  }

  static void checkK(String function, int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException(function + ": k must be in [1, " + MAX_K + "], got "
          + k);
    }
  }

  /** The hits of a retriever as rows of {@link #HIT}. */
  static List<Row> rows(List<Hit> hits) {
    List<Row> out = new ArrayList<>(hits.size());
    for (Hit h : hits) {
      out.add(RowFactory.create(h.docId(), h.score(), h.contents()));
    }
    return out;
  }

  /** The per-row search; the retriever is taken from the per-JVM caches once per task. */
  private static final class Search implements UDF2<String, Integer, List<Row>> {
    private static final long serialVersionUID = 1L;
    private final RetrieverAccess access;
    private transient Retriever retriever;

    Search(RetrieverAccess access) {
      this.access = access;
    }

    @Override
    public List<Row> call(String query, Integer k) {
      if (query == null || k == null) {
        return null;
      }
      checkK(NAME, k);
      if (retriever == null) {
        retriever = access.open();
      }
      return rows(retriever.search(query, k));
    }
  }
}
