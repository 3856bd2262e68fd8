package org.parallax.common;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.date_part;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.make_timestamp;
import static org.apache.spark.sql.functions.minute;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.to_timestamp_ntz;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/**
 * How an input's timestamps are read, in Spark SQL functions (no per-row Java code):
 * <ul>
 *   <li>without a pattern: a number is epoch <b>seconds</b> when its magnitude is below
 *       10^11 (up to the year 5138) and epoch <b>milliseconds</b> from 10^11 on (from
 *       1973-03-03), fractions allowed; any other text is ISO-8601 ({@code 2024-01-05},
 *       {@code 2024-01-05T10:00}, {@code 2024-01-05 10:00:00.25},
 *       {@code 2024-01-05T10:00:00+02:00}, {@code 2024-01-05T10:00+02:00}, {@code ...Z},
 *       {@code ... Europe/Paris});
 *   <li>with a pattern (Spark's datetime pattern, which is Java's {@code DateTimeFormatter}'s,
 *       e.g. {@code dd-MM-yyyy}): every value must match it (numbers included, read as text).
 * </ul>
 * A value that names its zone or offset is that instant; one that does not (a date, a local
 * time, a pattern without zone letters) is read as wall-clock time in {@code zone}. The result
 * never depends on the session time zone. Unparsable values become null, which {@link TableReader}
 * quarantines with the raw value. Pattern parsing needs Spark's current parser policy
 * ({@link #PARSER_POLICY} set to {@code CORRECTED}), else a value the pre-3.0 parser would read
 * differently fails the job instead of being quarantined.
 *
 * @param pattern the datetime pattern, or null for ISO-8601 and epoch numbers
 * @param zone the zone of values without one (a region such as {@code Europe/Paris}, or an offset)
 */
public record TimestampParsing(String pattern, String zone) {
  /** ISO-8601 and epoch numbers, local times in UTC. */
  public static final TimestampParsing DEFAULT = new TimestampParsing(null, "UTC");
  /** The Spark setting under which unparsable pattern values are null, not errors. */
  public static final String PARSER_POLICY = "spark.sql.legacy.timeParserPolicy";
  /** From this magnitude on, an epoch number is milliseconds (1973-03-03 in ms; 5138 in s). */
  public static final double MILLIS_FROM = 1e11;
  /** 9999-12-31T23:59:59Z: the last second Spark's timestamps and people's dates agree on. */
  static final long MAX_EPOCH_SECONDS = 253_402_300_799L;
  /** Text that ends in a zone or an offset after a time of day. */
  private static final String ZONED = "[0-9]:[0-9]{2}(:[0-9]{2}([.,][0-9]*)?)?\\s*"
      + "([Zz]|[+-][0-9]{1,2}(:?[0-9]{2}){0,2}|[A-Za-z][A-Za-z0-9_/+:-]*)$";
  /** A date and an hour and minute, then (group 2) the start of a zone or an offset. */
  private static final String NO_SECONDS = "^([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:"
      + "[0-9]{2})(\\s*([Zz]|[+-][0-9]|[A-Za-z]))";
  private static final DecimalType EPOCH = DataTypes.createDecimalType(38, 9);

  public TimestampParsing {
    if (zone == null || zone.isBlank()) {
      zone = "UTC";
    }
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("--timezone '" + zone + "' is not a time zone (use a "
          + "region such as Europe/Paris, UTC, or an offset such as +02:00)");
    }
    if (pattern != null && pattern.isBlank()) {
      pattern = null;
    }
    if (pattern != null) {
      try {
        DateTimeFormatter.ofPattern(pattern);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--ts-format '" + pattern + "' is not a datetime "
            + "pattern (e.g. dd-MM-yyyy, yyyy-MM-dd HH:mm:ss): " + e.getMessage());
      }
    }
  }

  /**
   * Runs {@code work} under Spark's current parser policy ({@link #PARSER_POLICY} =
   * {@code CORRECTED}), restoring the session's own afterwards: values the pre-3.0 parser would
   * read differently must be quarantined, not fail the job.
   */
  public static <T> T corrected(org.apache.spark.sql.SparkSession spark,
      java.util.function.Supplier<T> work) {
    String policy = spark.conf().get(PARSER_POLICY, "EXCEPTION");
    spark.conf().set(PARSER_POLICY, "CORRECTED");
    try {
      return work.get();
    } finally {
      spark.conf().set(PARSER_POLICY, policy);
    }
  }

  /** What a value must look like, for quarantine reasons. */
  public String expectation() {
    return pattern != null ? "timestamp as '" + pattern + "'"
        : "timestamp (ISO-8601, epoch seconds or milliseconds; other forms need --ts-format)";
  }

  /** The raw column, of type {@code rawType}, as a timestamp, or null where unparsable. */
  public Column parse(Column raw, DataType rawType) {
    if (rawType.equals(DataTypes.TimestampType)) {
      return raw;
    }
    if (rawType.equals(DataTypes.TimestampNTZType) || rawType.equals(DataTypes.DateType)) {
      return inZone(raw.cast(DataTypes.TimestampNTZType));
    }
    if (pattern != null) {
      Column text = trim(raw.cast(DataTypes.StringType));
      return namesZone(pattern) ? to_timestamp(text, pattern)
          : inZone(to_timestamp_ntz(text, lit(pattern)));
    }
    if (!rawType.equals(DataTypes.StringType)) {
      return epoch(raw.cast(EPOCH));
    }
    Column text = trim(raw);
    return when(text.rlike("^-?[0-9]{1,20}([.][0-9]*)?$"), epoch(text.cast(EPOCH)))
        .when(text.rlike(ZONED), withSeconds(text).cast(DataTypes.TimestampType))
        .otherwise(inZone(text.cast(DataTypes.TimestampNTZType)));
  }

  /**
   * ISO-8601 text with {@code :00} seconds added where a zone or offset follows a time of day
   * without seconds ({@code 2016-01-04T05:30+05:30}): Spark's cast reads a zone only after the
   * seconds, and would make such a value null (quarantined).
   */
  private static Column withSeconds(Column text) {
    return regexp_replace(text, NO_SECONDS, "$1:00$2");
  }

  /** An epoch number as a timestamp, seconds or milliseconds by magnitude; null past 9999. */
  private static Column epoch(Column number) {
    Column seconds = when(abs(number).lt(lit(MILLIS_FROM)), number)
        .otherwise(number.divide(lit(1000)));
    return when(abs(seconds).leq(lit(MAX_EPOCH_SECONDS)), timestamp_seconds(seconds));
  }

  /** A wall-clock time (timestamp without zone) as the instant it names in {@link #zone}. */
  private Column inZone(Column local) {
    return make_timestamp(year(local), month(local), dayofmonth(local), hour(local),
        minute(local), date_part(lit("SECOND"), local), lit(zone));
  }

  /** True when {@code pattern} has a zone or offset letter outside quoted text. */
  static boolean namesZone(String pattern) {
    boolean quoted = false;
    for (char c : pattern.toCharArray()) {
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && "VzOXxZ".indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }
}
