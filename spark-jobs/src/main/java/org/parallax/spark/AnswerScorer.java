package org.parallax.spark;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Spark ML transformer: Search-R1's scores of a prediction column against a gold-answers column
 * ({@code array<string>}), as {@code rollout eval} scores them and as {@code parallax_em},
 * {@code parallax_subem}, {@code parallax_f1} compute them: three double columns ({@code em},
 * {@code subem}, {@code f1} by default), null for a null prediction, null or empty gold answers.
 * Pure column expressions (no model), so Spark runs them in the rows' own stage. Persists with
 * its params ({@code MLWritable}, {@link #read()}).
 */
public final class AnswerScorer extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Param<String> predictionCol;
  private final Param<String> goldenAnswersCol;
  private final Param<String> emCol;
  private final Param<String> subemCol;
  private final Param<String> f1Col;

  public AnswerScorer() {
    this(Identifiable$.MODULE$.randomUID("answerScorer"));
  }

  public AnswerScorer(String uid) {
    this.uid = uid;
    // After the uid: a param takes its parent's uid when created.
    predictionCol = new Param<>(this, "predictionCol", "string column with the predicted answer");
    goldenAnswersCol = new Param<>(this, "goldenAnswersCol",
        "array<string> column with the gold answers");
    emCol = new Param<>(this, "emCol", "exact match output column");
    subemCol = new Param<>(this, "subemCol", "substring exact match output column");
    f1Col = new Param<>(this, "f1Col", "token F1 output column");
    setDefault(predictionCol, "prediction");
    setDefault(goldenAnswersCol, "golden_answers");
    setDefault(emCol, "em");
    setDefault(subemCol, "subem");
    setDefault(f1Col, "f1");
  }

  @Override
  public String uid() {
    return uid;
  }

  public AnswerScorer setPredictionCol(String v) {
    set(predictionCol, v);
    return this;
  }

  public AnswerScorer setGoldenAnswersCol(String v) {
    set(goldenAnswersCol, v);
    return this;
  }

  public AnswerScorer setEmCol(String v) {
    set(emCol, v);
    return this;
  }

  public AnswerScorer setSubemCol(String v) {
    set(subemCol, v);
    return this;
  }

  public AnswerScorer setF1Col(String v) {
    set(f1Col, v);
    return this;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> goldenAnswersCol() {
    return goldenAnswersCol;
  }

  public Param<String> emCol() {
    return emCol;
  }

  public Param<String> subemCol() {
    return subemCol;
  }

  public Param<String> f1Col() {
    return f1Col;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    check(schema, $(predictionCol), DataTypes.StringType);
    check(schema, $(goldenAnswersCol), DataTypes.createArrayType(DataTypes.StringType));
    StructType out = schema;
    for (Param<String> p : Arrays.asList(emCol, subemCol, f1Col)) {
      if (Arrays.asList(out.fieldNames()).contains($(p))) {
        throw new IllegalArgumentException("AnswerScorer: " + p.name() + " '" + $(p)
            + "' already exists");
      }
      out = out.add($(p), DataTypes.DoubleType, true);
    }
    return out;
  }

  private static void check(StructType schema, String column, DataType type) {
    if (!Arrays.asList(schema.fieldNames()).contains(column)
        || !DataType.equalsIgnoreNullability(schema.apply(column).dataType(), type)) {
      throw new IllegalArgumentException("AnswerScorer: expected a column '" + column + "' of "
          + "type " + type.simpleString() + " in " + schema.simpleString());
    }
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Column p = dataset.col($(predictionCol));
    Column g = dataset.col($(goldenAnswersCol));
    return dataset.toDF()
        .withColumn($(emCol), AnswerFunctions.udf(AnswerFunctions.Rule.EM).apply(p, g))
        .withColumn($(subemCol), AnswerFunctions.udf(AnswerFunctions.Rule.SUBEM).apply(p, g))
        .withColumn($(f1Col), AnswerFunctions.udf(AnswerFunctions.Rule.F1).apply(p, g));
  }

  @Override
  public Transformer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  public static MLReader<AnswerScorer> read() {
    return new DefaultParamsReader<>();
  }

  public static AnswerScorer load(String path) {
    return read().load(path);
  }
}
