package org.parallax.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.parallax.retrieval.Hit;
import org.parallax.retrieval.Retriever;
import org.parallax.retrieval.RetrieverAccess;

/**
 * Spark ML transformer: the top {@code k} passages of each query in a string column over a
 * {@code retrieval index} output ({@code indexPath}), ranked as {@code retrieval search} ranks
 * them with {@code retriever} {@code bm25} (default), {@code e5} or {@code hybrid}: an
 * {@code array<struct<id, score, contents>>} column, best first (as {@code parallax_search}).
 * The index is checked on the driver; each executor JVM opens its shards (and the encoder) once,
 * and each partition is searched {@value #CHUNK} queries per call (a dense retriever encodes them
 * together). Null query: null. Persists with its params ({@code MLWritable}, {@link #read()}).
 */
public final class PassageRetriever extends ColumnTransformer {
  private static final long serialVersionUID = 1L;
  static final int CHUNK = 64;
  private final Param<String> indexPath = new Param<>(this, "indexPath",
      "the retrieval index output (any Hadoop URI)");
  private final Param<String> retriever = new Param<>(this, "retriever", "bm25, e5 or hybrid",
      ParamValidators.inArray(new String[] {"bm25", "e5", "hybrid"}));
  private final IntParam k = new IntParam(this, "k", "passages per query",
      ParamValidators.inRange(1, SearchFunction.MAX_K));

  public PassageRetriever() {
    this(Identifiable$.MODULE$.randomUID("passageRetriever"));
  }

  public PassageRetriever(String uid) {
    super(uid, "question", "passages");
    setDefault(retriever, "bm25");
    setDefault(k, 10);
  }

  public PassageRetriever setInputCol(String v) {
    set(inputCol(), v);
    return this;
  }

  public PassageRetriever setOutputCol(String v) {
    set(outputCol(), v);
    return this;
  }

  public PassageRetriever setIndexPath(String v) {
    set(indexPath, v);
    return this;
  }

  public PassageRetriever setRetriever(String v) {
    set(retriever, v);
    return this;
  }

  public PassageRetriever setK(int v) {
    set(k, v);
    return this;
  }

  public Param<String> indexPath() {
    return indexPath;
  }

  public Param<String> retriever() {
    return retriever;
  }

  public IntParam k() {
    return k;
  }

  @Override
  DataType outputType() {
    return SearchFunction.HITS;
  }

  @Override
  int chunk() {
    return CHUNK;
  }

  @Override
  ColumnBatches.Opener opener() {
    if (!isDefined(indexPath)) {
      throw new IllegalArgumentException("PassageRetriever: indexPath is not set; set it to a "
          + "retrieval index output");
    }
    RetrieverAccess access = SearchFunction.resolve("PassageRetriever", $(indexPath),
        $(retriever));
    int top = (Integer) getOrDefault(k);
    return () -> {
      Retriever r = access.open();
      return queries -> {
        List<List<Hit>> hits = r.searchAll(queries, top);
        List<Object> out = new ArrayList<>(hits.size());
        hits.forEach(h -> out.add(SearchFunction.rows(h).toArray(new Row[0])));
        return out;
      };
    };
  }

  public static MLReader<PassageRetriever> read() {
    return new DefaultParamsReader<>();
  }

  public static PassageRetriever load(String path) {
    return read().load(path);
  }
}
