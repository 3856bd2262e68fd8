package org.parallax.common;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Converts a raw input column to its schema type with SQL casts: an unparsable value becomes null,
 * which {@link TableReader} reports as malformed. So does a value that would overflow its type
 * (an epoch beyond the year 9999, a long beyond an int, a number beyond a double): casts never
 * wrap around and never raise "long overflow" inside a task. Timestamps are accepted as ISO-8601
 * text or as epoch seconds (as MovieLens and most event logs store them).
 */
final class TypedColumns {
  /** 9999-12-31T23:59:59Z: the last second Spark's timestamps and people's dates agree on. */
  static final long MAX_EPOCH_SECONDS = 253_402_300_799L;

  private TypedColumns() {}

  static Column convert(Column raw, DataType rawType, DataType target) {
    if (rawType.equals(target)) {
      return raw;
    }
    if (target.equals(DataTypes.TimestampType) && rawType.equals(DataTypes.StringType)) {
      Column trimmed = trim(raw);
      // Digits only: epoch seconds; a decimal of that size cannot overflow the long cast.
      Column seconds = trimmed.cast(DataTypes.createDecimalType(38, 0));
      return when(trimmed.rlike("^-?[0-9]{1,30}$"), epochSeconds(seconds))
          .otherwise(trimmed.cast(DataTypes.TimestampType));
    }
    if (target.equals(DataTypes.TimestampType) && isIntegral(rawType)) {
      return epochSeconds(raw);
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

  /** Epoch seconds as a timestamp, or null when they lie outside years 1..9999. */
  private static Column epochSeconds(Column seconds) {
    return when(abs(seconds).leq(lit(MAX_EPOCH_SECONDS)),
        timestamp_seconds(seconds.cast(DataTypes.LongType)));
  }

  private static boolean isIntegral(DataType t) {
    return t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType)
        || t.equals(DataTypes.ShortType);
  }

  private static boolean isNumeric(DataType t) {
    return isIntegral(t) || t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType);
  }
}
