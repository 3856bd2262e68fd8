package org.parallax.common;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Converts a raw input column to its schema type with SQL casts: an unparsable value becomes null,
 * which {@link TableReader} reports as malformed. So does a value that would overflow its type
 * (an epoch beyond the year 9999, a long beyond an int, a number beyond a double): casts never
 * wrap around and never raise "long overflow" inside a task. Timestamps are read as the input's
 * {@link TimestampParsing} says.
 */
final class TypedColumns {
  private TypedColumns() {}

  static Column convert(Column raw, DataType rawType, DataType target,
      TimestampParsing timestamps) {
    if (rawType.equals(target)) {
      return raw;
    }
    if (target.equals(DataTypes.TimestampType)) {
      return timestamps.parse(raw, rawType);
    }
    Column value = rawType.equals(DataTypes.StringType) && isNumeric(target) ? trim(raw) : raw;
    if (target.equals(DataTypes.LongType) || target.equals(DataTypes.IntegerType)) {
      // Through a wide decimal, so that out-of-range values are seen, not wrapped.
      Column wide = value.cast(DataTypes.createDecimalType(38, 0));
      Column exact = value.cast(DataTypes.createDecimalType(38, 8));
      long max = target.equals(DataTypes.LongType) ? Long.MAX_VALUE : Integer.MAX_VALUE;
      long min = target.equals(DataTypes.LongType) ? Long.MIN_VALUE : Integer.MIN_VALUE;
      return when(wide.between(lit(min), lit(max)).and(exact.equalTo(wide)), value.cast(target));
    }
    if (target.equals(DataTypes.DoubleType) || target.equals(DataTypes.FloatType)) {
      Column d = value.cast(target);
      return when(isnan(d).or(abs(d).equalTo(lit(Double.POSITIVE_INFINITY))),
          lit(null).cast(target)).otherwise(d);
    }
    return value.cast(target);
  }

  private static boolean isIntegral(DataType t) {
    return t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.ShortType);
  }

  private static boolean isNumeric(DataType t) {
    return isIntegral(t) || t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType);
  }
}
