package org.parallax.common;

import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Converts a raw input column to its schema type with SQL casts: an unparsable value becomes null,
 * which {@link TableReader} reports as malformed. Timestamps are accepted as ISO-8601 text or as
 * epoch seconds (as MovieLens and most event logs store them).
 */
final class TypedColumns {
  private TypedColumns() {}

  static Column convert(Column raw, DataType rawType, DataType target) {
    if (rawType.equals(target)) {
      return raw;
    }
    if (target.equals(DataTypes.TimestampType) && rawType.equals(DataTypes.StringType)) {
      Column trimmed = org.apache.spark.sql.functions.trim(raw);
      return when(trimmed.rlike("^-?[0-9]+$"), timestamp_seconds(trimmed.cast(DataTypes.LongType)))
          .otherwise(trimmed.cast(DataTypes.TimestampType));
    }
    if (target.equals(DataTypes.TimestampType)
        && (rawType.equals(DataTypes.LongType) || rawType.equals(DataTypes.IntegerType))) {
      return timestamp_seconds(raw);
    }
    if (rawType.equals(DataTypes.StringType) && isNumeric(target)) {
      return org.apache.spark.sql.functions.trim(raw).cast(target);
    }
    return raw.cast(target);
  }

  private static boolean isNumeric(DataType t) {
    return t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType);
  }
}
