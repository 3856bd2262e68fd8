package org.parallax.spark;

import java.util.Arrays;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What parallax's batched transformers share: a string input column, a new output column
 * appended last, the rows of each partition sent to the model or index in chunks
 * ({@link ColumnBatches}), and persistence of the params ({@link DefaultParamsWriter}).
 */
abstract class ColumnTransformer extends Transformer implements MLWritable {
  private static final long serialVersionUID = 1L;
  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> outputCol;

  ColumnTransformer(String uid, String input, String output) {
    this.uid = uid;
    this.inputCol = new Param<>(this, "inputCol", "string input column");
    this.outputCol = new Param<>(this, "outputCol", "output column, appended");
    setDefault(inputCol, input);
    setDefault(outputCol, output);
  }

  /** The type of the output column. */
  abstract DataType outputType();

  /** Rows per call of the model or index. */
  abstract int chunk();

  /** The call, resolved (and checked) on the driver, opened on the executors. */
  abstract ColumnBatches.Opener opener();

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public String getInputCol() {
    return $(inputCol);
  }

  public String getOutputCol() {
    return $(outputCol);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    String in = getInputCol();
    String name = getClass().getSimpleName();
    if (!Arrays.asList(schema.fieldNames()).contains(in)) {
      throw new IllegalArgumentException(name + ": inputCol '" + in + "' is not a column of "
          + schema.simpleString());
    }
    if (!schema.apply(in).dataType().equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(name + ": inputCol '" + in + "' must be a string, is "
          + schema.apply(in).dataType().simpleString());
    }
    if (Arrays.asList(schema.fieldNames()).contains(getOutputCol())) {
      throw new IllegalArgumentException(name + ": outputCol '" + getOutputCol()
          + "' already exists");
    }
    return schema.add(getOutputCol(), outputType(), true);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    Dataset<Row> df = dataset.toDF();
    StructType out = transformSchema(df.schema());
    int column = df.schema().fieldIndex(getInputCol());
    return df.mapPartitions(new ColumnBatches(column, chunk(), opener()), Encoders.row(out));
  }

  @Override
  public Transformer copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }
}
