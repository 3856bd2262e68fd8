package org.parallax.common;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input read against its {@link InputSchema}, every row marked with its {@code _reason} (empty
 * when well-formed), typed columns under their own names and raw copies under {@code _raw_*}.
 * Nothing has run yet: {@link #accepted()} and {@link #rejected()} are lazy, and
 * {@link #account} records the counts in the job report and fails the job when too many rows are
 * malformed.
 */
public final class CheckedInput {
  private final InputSchema schema;
  private final String path;
  private final InputFormat format;
  private final Dataset<Row> checked;
  private final Column malformed;

  CheckedInput(InputSchema schema, String path, InputFormat format, Dataset<Row> checked,
      Column malformed) {
    this.schema = schema;
    this.path = path;
    this.format = format;
    this.checked = checked;
    this.malformed = malformed;
  }

  /** The input's name (its schema's), as reports and quarantine folders call it. */
  public String name() {
    return schema.name();
  }

  /** Every row, with typed, raw, reason and reason-code columns. */
  public Dataset<Row> checked() {
    return checked;
  }

  /**
   * A boolean over {@link #checked()}: true exactly where {@code _reason} is not empty, without
   * building the reason (for a pass that only counts the malformed rows).
   */
  public Column malformed() {
    return malformed;
  }

  /** The well-formed rows, typed. */
  public Dataset<Row> accepted() {
    List<Column> typed = new ArrayList<>();
    for (String c : checked.columns()) {
      if (!c.startsWith(TableReader.RAW) && !c.equals(TableReader.CORRUPT)
          && !c.equals(TableReader.REASON) && !c.equals(TableReader.CODES)) {
        typed.add(col(c));
      }
    }
    return checked.filter(col(TableReader.REASON).equalTo("")).select(typed.toArray(Column[]::new));
  }

  /** The malformed rows as read (raw values, any unparsable line) with their {@code _reason}. */
  public Dataset<Row> rejected() {
    return checked.filter(col(TableReader.REASON).notEqual("")).select(rawColumns());
  }

  /** The raw columns, named as in the input, then the unparsable line and the reason. */
  public Column[] rawColumns() {
    List<Column> keep = new ArrayList<>();
    for (String c : checked.columns()) {
      if (c.startsWith(TableReader.RAW)) {
        keep.add(col(c).as(c.substring(TableReader.RAW.length())));
      }
    }
    if (Arrays.asList(checked.columns()).contains(TableReader.CORRUPT)) {
      keep.add(col(TableReader.CORRUPT));
    }
    keep.add(col(TableReader.REASON));
    return keep.toArray(Column[]::new);
  }

  /**
   * Records this input's counts in the report and fails when it has no rows or more than
   * {@code --max-bad-fraction} of them are malformed.
   *
   * @param quarantine where the malformed rows went, relative to the output, or null if none
   */
  public void account(JobContext ctx, long rows, long bad, Map<String, Long> reasons,
      String quarantine) {
    ctx.report().inputs.add(new JobReport.Input(schema.name(), path,
        format.name().toLowerCase(java.util.Locale.ROOT), rows, rows - bad, bad,
        quarantine == null ? null : ctx.out().finalPath(quarantine), reasons));
    if (rows == 0) {
      throw new JobFailedException("input " + schema.name() + " (" + path + ") has no rows");
    }
    if (bad == rows) {
      // Every row bad because a required field is absent from all of them: say that instead.
      TableReader.checkNotAllNull(checked, schema, path);
    }
    double fraction = (double) bad / rows;
    if (fraction > ctx.options().maxBadFraction()) {
      throw new JobFailedException(String.format(
          "input %s (%s): %d of %d rows (%.2f%%) are malformed, above --max-bad-fraction %s; "
              + "reasons %s; rows kept in %s",
          schema.name(), path, bad, rows, 100.0 * fraction, ctx.options().maxBadFraction(),
          reasons, quarantine == null ? "none"
              : JobRunner.failedPath(ctx.out().target()) + "/" + quarantine));
    }
  }
}
