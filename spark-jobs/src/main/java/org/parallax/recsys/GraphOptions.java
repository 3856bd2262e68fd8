package org.parallax.recsys;

import org.parallax.common.Check;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobOptions;
import org.parallax.common.InputFormat;
import org.parallax.common.TimestampParsing;

/**
 * Options of {@code recsys graph}.
 *
 * @param common output, overwrite, seed, bad-row tolerance
 * @param interactions interaction log ({@code user_id, item_id, ts[, weight]})
 * @param format format of all inputs, or null to take each from its extension
 * @param users optional user table ({@code user_id} + attributes), or null
 * @param items optional item table ({@code item_id} + attributes), or null; when given,
 *     interactions with an item it does not list are quarantined
 * @param windowDays length of the label window, in days
 * @param trainWindows training cutoffs stepping back from the validation cutoff
 * @param columns the interaction log's own names of {@code user_id, item_id, ts, weight}, where
 *     they differ (MovieLens: {@code user_id=userId, item_id=movieId, ts=timestamp})
 * @param timestamps how {@code ts} is read ({@code --ts-format}, {@code --timezone}); null for
 *     ISO-8601 and epoch numbers in UTC
 */
public record GraphOptions(CommonOptions common, String interactions, String format, String users,
    String items, int windowDays, int trainWindows, java.util.Map<String, String> columns,
    TimestampParsing timestamps) implements JobOptions {
  public GraphOptions {
    timestamps = timestamps == null ? TimestampParsing.DEFAULT : timestamps;
    if (interactions == null || interactions.isBlank()) {
      throw new IllegalArgumentException("--interactions is required");
    }
    Check.atLeast("--window-days", windowDays, 1);
    InputFormat.checkOption(format);
    columns = columns == null ? java.util.Map.of() : java.util.Map.copyOf(columns);
    if (trainWindows < 1) {
      throw new IllegalArgumentException("--train-windows must be at least 1, got " + trainWindows);
    }
  }
}
