package org.parallax.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.sql.Timestamp;
import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.recsys.ContextGnnConfig;
import org.parallax.recsys.ContextGnnScoring;
import org.parallax.recsys.IdDictionary;
import org.parallax.recsys.LocalSubgraph;
import org.parallax.recsys.RecsysDefaults;
import org.parallax.recsys.ScoreJob;

/**
 * Spark ML transformer: the top {@code k} items of each user id in a column (ids as the
 * {@code recsys graph} input had them), from a {@code recsys train} model ({@code modelPath})
 * over its graph ({@code graphPath}) at the cutoff of {@code split}: what {@code recsys score}
 * writes as method {@code contextgnn}, by the same code (each user's local subgraph in
 * DataFrame operators, the model loaded once per executor JVM, users scored
 * {@code batchUsers} at a time with the exact blocked top-k over the items). Output: an
 * {@code array<struct<item_id, score>>} column, best first; null for an id the graph does not
 * know. Persists with its params ({@code MLWritable}, {@link #read()}).
 */
public final class ContextGnnRecommender extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> outputCol;
  private final Param<String> graphPath;
  private final Param<String> modelPath;
  private final Param<String> split;
  private final IntParam k;
  private final IntParam batchUsers;
  private final IntParam blockItems;

  public ContextGnnRecommender() {
    this(Identifiable$.MODULE$.randomUID("contextGnnRecommender"));
  }

  public ContextGnnRecommender(String uid) {
    this.uid = uid;
    inputCol = new Param<>(this, "inputCol", "user id column (ids as recsys graph read them)");
    outputCol = new Param<>(this, "outputCol", "output column, array<struct<item_id, score>>");
    graphPath = new Param<>(this, "graphPath", "the recsys graph output");
    modelPath = new Param<>(this, "modelPath", "the recsys train output");
    split = new Param<>(this, "split", "the split whose cutoff to score at: test or val",
        ParamValidators.inArray(new String[] {"test", "val"}));
    k = new IntParam(this, "k", "items per user", ParamValidators.inRange(1, 10_000));
    batchUsers = new IntParam(this, "batchUsers", "users per inference batch",
        ParamValidators.inRange(1, 1 << 20));
    blockItems = new IntParam(this, "blockItems", "items per block of the blocked top-k",
        ParamValidators.inRange(1, 1 << 24));
    setDefault(inputCol, "user_id");
    setDefault(outputCol, "recommendations");
    setDefault(split, "test");
    setDefault(k, Integer.parseInt(RecsysDefaults.K));
    setDefault(batchUsers, Integer.parseInt(RecsysDefaults.BATCH_USERS));
    setDefault(blockItems, Integer.parseInt(RecsysDefaults.BLOCK_ITEMS));
  }

  @Override
  public String uid() {
    return uid;
  }

  public ContextGnnRecommender setInputCol(String v) {
    set(inputCol, v);
    return this;
  }

  public ContextGnnRecommender setOutputCol(String v) {
    set(outputCol, v);
    return this;
  }

  public ContextGnnRecommender setGraphPath(String v) {
    set(graphPath, v);
    return this;
  }

  public ContextGnnRecommender setModelPath(String v) {
    set(modelPath, v);
    return this;
  }

  public ContextGnnRecommender setSplit(String v) {
    set(split, v);
    return this;
  }

  public ContextGnnRecommender setK(int v) {
    set(k, v);
    return this;
  }

  public ContextGnnRecommender setBatchUsers(int v) {
    set(batchUsers, v);
    return this;
  }

  public ContextGnnRecommender setBlockItems(int v) {
    set(blockItems, v);
    return this;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> graphPath() {
    return graphPath;
  }

  public Param<String> modelPath() {
    return modelPath;
  }

  public Param<String> split() {
    return split;
  }

  public IntParam k() {
    return k;
  }

  public IntParam batchUsers() {
    return batchUsers;
  }

  public IntParam blockItems() {
    return blockItems;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String in = $(inputCol);
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException("ContextGnnRecommender: inputCol '" + in + "' is not a "
          + "column of " + schema.simpleString());
    }
    if (Arrays.asList(schema.fieldNames()).contains($(outputCol))) {
      throw new IllegalArgumentException("ContextGnnRecommender: outputCol '" + $(outputCol)
          + "' already exists");
    }
    return schema.add($(outputCol), DataTypes.createArrayType(new StructType()
        .add("item_id", DataTypes.StringType).add("score", DataTypes.FloatType)), true);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    for (Param<String> p : Arrays.asList(graphPath, modelPath)) {
      if (!isDefined(p)) {
        throw new IllegalArgumentException("ContextGnnRecommender: " + p.name() + " is not set");
      }
    }
    SparkSession spark = dataset.sparkSession();
    String graph = $(graphPath);
    String model = $(modelPath);
    Dataset<Row> recs;
    try {
      recs = recommendations(spark, dataset.toDF(), graph, model);
    } catch (RuntimeException e) {
      throw FunctionArguments.failure("ContextGnnRecommender", "graphPath '" + graph
          + "', modelPath '" + model + "'", e);
    }
    String key = "_parallax_user";
    Dataset<Row> byUser = recs.groupBy(col("user_id").as(key))
        .agg(sort_array(collect_list(struct("rank", "item_id", "score"))).as("r"))
        .select(col(key), expr("transform(r, x -> named_struct('item_id', x.item_id, 'score', "
            + "x.score))").as($(outputCol)));
    return dataset.toDF().join(byUser, col($(inputCol)).cast("string").equalTo(col(key)),
        "left").drop(key);
  }

  /** {@code recsys score}'s contextgnn rows for the distinct known users of {@code df}. */
  private Dataset<Row> recommendations(SparkSession spark, Dataset<Row> df, String graph,
      String model) {
    ContextGnnConfig config = ContextGnnScoring.config(spark, model);
    Dataset<Row> edges = LocalSubgraph.edges(spark, graph);
    Timestamp cutoff = ScoreJob.cutoff(spark.read().parquet(graph + "/labels")
        .filter(col("split").equalTo($(split))), graph, $(split));
    Dataset<Row> users = df.select(col($(inputCol)).cast("string").as(IdDictionary.ORIGINAL))
        .distinct().join(IdDictionary.read(spark, graph, "users"), IdDictionary.ORIGINAL)
        .select(col(IdDictionary.DENSE).as("user_id"));
    Dataset<Row> scoring = ContextGnnScoring.usersAt(edges, users, cutoff, config);
    return IdDictionary.inOriginalIds(spark, graph, ContextGnnScoring.recommend(spark, scoring,
        ContextGnnScoring.Settings.of(spark, model, edges, cutoff, (Integer) getOrDefault(k),
            (Integer) getOrDefault(batchUsers), (Integer) getOrDefault(blockItems), false, 0)))
        .filter(col("method").equalTo(ContextGnnScoring.MERGED));
  }

  @Override
  public Transformer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  public static MLReader<ContextGnnRecommender> read() {
    return new DefaultParamsReader<>();
  }

  public static ContextGnnRecommender load(String path) {
    return read().load(path);
  }
}
