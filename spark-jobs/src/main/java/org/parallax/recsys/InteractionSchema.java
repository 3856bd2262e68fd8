package org.parallax.recsys;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;

import java.sql.Timestamp;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.InputSchema;
import org.parallax.common.TimestampParsing;

/**
 * The interaction log every recsys job reads: {@code user_id, item_id, ts} and an optional
 * {@code weight}. Ids are opaque text (numbers, SKUs, product names, ids with leading zeros are
 * read as written); an empty or blank id is malformed. Timestamps are read as a
 * {@link TimestampParsing} says; one before 1970 or more than a day in the future is malformed,
 * as is a negative weight.
 */
public final class InteractionSchema {
  private InteractionSchema() {}

  /** The interaction log with timestamps read as {@code timestamps} says. */
  public static InputSchema get(TimestampParsing timestamps) {
    Timestamp latest = new Timestamp(System.currentTimeMillis() + 86_400_000L);
    return InputSchema.named("interactions")
        .required("user_id", DataTypes.StringType)
        .required("item_id", DataTypes.StringType)
        .required("ts", DataTypes.TimestampType)
        .optional("weight", DataTypes.DoubleType)
        .rule("empty_user_id", "user_id is empty", trim(col("user_id")).equalTo(""))
        .rule("empty_item_id", "item_id is empty", trim(col("item_id")).equalTo(""))
        .rule("ts_out_of_range", "ts out of range (before 1970 or in the future)",
            col("ts").lt(lit(new Timestamp(0))).or(col("ts").gt(lit(latest))))
        .rule("negative_weight", "weight is negative", col("weight").lt(0))
        .build().withTimestamps(timestamps);
  }

  /** A user or item attribute table: the id column (text), and any attributes as they are. */
  public static InputSchema entities(String name, String idColumn) {
    return InputSchema.named(name).required(idColumn, DataTypes.StringType)
        .rule("empty_" + idColumn, idColumn + " is empty", trim(col(idColumn)).equalTo(""))
        .keepOtherColumns().build();
  }
}
