package org.parallax.avinfo;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.Collection;
import java.util.Map;
import org.apache.spark.ml.stat.Summarizer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.InputSchema;

/**
 * The alignment rule shared by {@code avinfo units} and {@code ksg}: a frame {@code f} of a
 * modality at {@code r} Hz falls in target frame {@code floor(f * target / r)}, and the vectors
 * falling in one target frame are averaged.
 */
final class FramePooling {
  /** Per-frame features, as {@code units} and {@code ksg} read them. */
  static final InputSchema SCHEMA = InputSchema.named("features")
      .required("utterance_id", DataTypes.StringType)
      .required("frame", DataTypes.IntegerType)
      .required("modality", DataTypes.StringType)
      .required("vector", DataTypes.createArrayType(DataTypes.DoubleType))
      .optional("speaker_id", DataTypes.StringType)
      .build();

  private FramePooling() {}

  /**
   * {@code utterance_id, modality, target_frame, speaker_id, features (ml Vector), pooled} from
   * rows with a valid {@code vector}.
   */
  static Dataset<Row> pool(Dataset<Row> valid, Collection<String> modalities,
      Map<String, Double> rates, double targetRate) {
    Column rate = lit(targetRate);
    for (String m : modalities) {
      rate = when(col("modality").equalTo(m), lit(rates.getOrDefault(m, targetRate)))
          .otherwise(rate);
    }
    return valid
        .withColumn("target_frame", floor(col("frame").multiply(targetRate).divide(rate))
            .cast("int"))
        .withColumn("features", org.apache.spark.ml.functions.array_to_vector(col("vector")))
        .groupBy("utterance_id", "modality", "target_frame")
        .agg(first("speaker_id", true).as("speaker_id"),
            Summarizer.mean(col("features")).as("features"), count(lit(1)).as("pooled"));
  }
}
