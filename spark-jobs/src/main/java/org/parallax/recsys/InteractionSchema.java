package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.InputSchema;

/**
 * The interaction log every recsys job reads: {@code user_id, item_id, ts} and an optional
 * {@code weight}. Timestamps are ISO-8601 or epoch seconds; a timestamp before 1970 or more than a
 * day in the future is malformed, as is a negative weight.
 */
public final class InteractionSchema {
  private InteractionSchema() {}

  public static InputSchema get() {
    Timestamp latest = new Timestamp(System.currentTimeMillis() + 86_400_000L);
    return InputSchema.named("interactions")
        .required("user_id", DataTypes.LongType)
        .required("item_id", DataTypes.LongType)
        .required("ts", DataTypes.TimestampType)
        .optional("weight", DataTypes.DoubleType)
        .rule("ts_out_of_range", "ts out of range (before 1970 or in the future)",
            col("ts").lt(lit(new Timestamp(0))).or(col("ts").gt(lit(latest))))
        .rule("negative_weight", "weight is negative", col("weight").lt(0))
        .build();
  }

  /** A user or item attribute table: the id column, and any attributes as they are. */
  public static InputSchema entities(String name, String idColumn) {
    return InputSchema.named(name).required(idColumn, DataTypes.LongType).keepOtherColumns()
        .build();
  }
}
