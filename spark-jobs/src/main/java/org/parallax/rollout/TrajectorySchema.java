package org.parallax.rollout;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Column layout of trajectories, their turns' generations and the final rollouts. */
final class TrajectorySchema {
  static final StructType TURN = new StructType()
      .add("turn", DataTypes.IntegerType)
      .add("action", DataTypes.StringType)
      .add("content", DataTypes.StringType)
      .add("doc_ids", DataTypes.createArrayType(DataTypes.StringType));
  static final StructType SPAN = new StructType()
      .add("start", DataTypes.IntegerType)
      .add("end", DataTypes.IntegerType);
  static final StructType TRAJECTORY = new StructType()
      .add("id", DataTypes.StringType)
      .add("question", DataTypes.StringType)
      .add("golden_answers", DataTypes.createArrayType(DataTypes.StringType))
      .add("data_source", DataTypes.StringType)
      .add("prompt", DataTypes.StringType)
      .add("response", DataTypes.StringType)
      .add("turns", DataTypes.createArrayType(TURN))
      .add("info_spans", DataTypes.createArrayType(SPAN))
      .add("searches", DataTypes.IntegerType)
      .add("actions", DataTypes.IntegerType)
      .add("valid_actions", DataTypes.IntegerType)
      .add("retrieved_has_answer", DataTypes.BooleanType)
      .add("status", DataTypes.StringType)
      .add("answer", DataTypes.StringType);
  static final StructType GENERATION = new StructType()
      .add("id", DataTypes.StringType)
      .add("text", DataTypes.StringType)
      .add("action", DataTypes.StringType)
      .add("content", DataTypes.StringType);
  static final StructType ROLLOUT = TRAJECTORY
      .add("em", DataTypes.DoubleType)
      .add("subem", DataTypes.DoubleType)
      .add("f1", DataTypes.DoubleType)
      .add("valid_action_rate", DataTypes.DoubleType);

  private TrajectorySchema() {}
}
