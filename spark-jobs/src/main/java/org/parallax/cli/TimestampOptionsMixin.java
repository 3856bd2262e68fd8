package org.parallax.cli;

import org.parallax.common.TimestampParsing;
import picocli.CommandLine.Option;

/** {@code --ts-format} and {@code --timezone}: how an interaction log's timestamps are read. */
public final class TimestampOptionsMixin {
  @Option(names = "--ts-format", paramLabel = "PATTERN",
      description = "Datetime pattern of ts (Spark/Java DateTimeFormatter), e.g. dd-MM-yyyy or "
          + "'yyyy-MM-dd HH:mm'; every value must match it. Default: ISO-8601 (date, date-time, "
          + "with or without offset or zone) or an epoch number: below 10^11 epoch seconds (up "
          + "to year 5138), from 10^11 on epoch milliseconds (from 1973-03-03).")
  String tsFormat;

  @Option(names = "--timezone", defaultValue = "UTC", paramLabel = "ZONE",
      description = "Zone of timestamps that name none (dates, local times, patterns without a "
          + "zone), e.g. Europe/Paris or +02:00 (default: ${DEFAULT-VALUE}).")
  String timezone;

  TimestampParsing toParsing() {
    return new TimestampParsing(tsFormat, timezone);
  }
}
