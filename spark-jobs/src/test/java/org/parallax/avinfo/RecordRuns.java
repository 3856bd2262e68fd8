package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The record path's runs as rows of the columns {@link StatsJob#runs} gives, for comparison. */
final class RecordRuns {
  private static final StructType RUNS = new StructType()
      .add("utterance_id", DataTypes.StringType).add("speaker_id", DataTypes.StringType)
      .add("data_source", DataTypes.StringType).add("audio_unit", DataTypes.IntegerType)
      .add("visual_unit", DataTypes.IntegerType).add("text_unit", DataTypes.IntegerType)
      .add("start", DataTypes.IntegerType).add("len", DataTypes.LongType);

  private RecordRuns() {}

  /** One row per run of the records {@link UtteranceRuns#fromFrames} folds {@code frames} into. */
  static Dataset<Row> of(Dataset<Row> frames) {
    List<Row> rows = new ArrayList<>();
    for (UtteranceRuns.Runs r : UtteranceRuns.fromFrames(frames).collect()) {
      for (int i = 0; i < r.size(); i++) {
        rows.add(RowFactory.create(r.id, r.speakers[r.g[i]], r.sources[r.g[i]], r.a[i], r.v[i],
            r.t[i], r.start[i], (long) r.len[i]));
      }
    }
    return frames.sparkSession().createDataFrame(rows, RUNS);
  }
}
