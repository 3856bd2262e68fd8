package org.parallax.avinfo;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.util.Collection;
import java.util.List;
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
    return valid
        .withColumn("target_frame", targetFrame(modalities, rates, targetRate))
        .withColumn("features", org.apache.spark.ml.functions.array_to_vector(col("vector")))
        .groupBy("utterance_id", "modality", "target_frame")
        .agg(first("speaker_id", true).as("speaker_id"),
            Summarizer.mean(col("features")).as("features"), count(lit(1)).as("pooled"));
  }

  /**
   * {@code utterance_id, target_frame, speaker_id, x, y}: the target frames where both modalities
   * have vectors, each averaged as {@link #pool} averages, in one aggregation; vectors of one
   * modality and frame that differ in length fail the job.
   */
  static Dataset<Row> pairs(Dataset<Row> valid, String x, String y, Map<String, Double> rates,
      double targetRate) {
    return valid.withColumn("target_frame", targetFrame(List.of(x, y), rates, targetRate))
        .groupBy("utterance_id", "target_frame")
        .agg(first("speaker_id", true).as("speaker_id"),
            array_sort(collect_list(when(col("modality").equalTo(x), col("vector")))).as("xs"),
            array_sort(collect_list(when(col("modality").equalTo(y), col("vector")))).as("ys"))
        .filter(size(col("xs")).gt(0).and(size(col("ys")).gt(0)))
        .select(col("utterance_id"), col("target_frame"), col("speaker_id"),
            mean("xs", x).as("x"), mean("ys", y).as("y"));
  }

  /** The element-wise mean of the arrays in column {@code lists} (of {@code modality}). */
  private static Column mean(String lists, String modality) {
    String l = "`" + lists + "`";
    return expr("CASE WHEN exists(" + l + ", a -> size(a) != size(" + l + "[0])) THEN "
        + "raise_error(concat('features: ', utterance_id, ' frame ', target_frame, ' has "
        + modality.replace("'", "") + " vectors of different lengths')) ELSE transform(" + l
        + "[0], (v, i) -> aggregate(" + l + ", 0D, (acc, a) -> acc + a[i]) / size(" + l
        + ")) END");
  }

  private static Column targetFrame(Collection<String> modalities, Map<String, Double> rates,
      double targetRate) {
    Column rate = lit(targetRate);
    for (String m : modalities) {
      rate = when(col("modality").equalTo(m), lit(rates.getOrDefault(m, targetRate)))
          .otherwise(rate);
    }
    return floor(col("frame").multiply(targetRate).divide(rate)).cast("int");
  }
}
