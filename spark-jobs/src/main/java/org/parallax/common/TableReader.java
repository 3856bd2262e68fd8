package org.parallax.common;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads one input (Parquet, JSONL or CSV) against an {@link InputSchema}, splitting it into rows
 * that are well-formed, returned typed, and rows that are not, written as Parquet (a format the
 * GPU writes too) to {@code <out>/_quarantine/<input>/} with their raw values and a
 * {@code _reason} column. Counts go
 * to the job report. The job fails, naming the file, the column and the expectation, when a
 * required column is absent or when more than {@code maxBadFraction} of the rows are malformed.
 * All checks are DataFrame expressions, so they plan on the RAPIDS accelerator too.
 */
public final class TableReader {
  public static final String REASON = "_reason";
  /** The column of the JSON and CSV readers' unparsable lines. */
  public static final String CORRUPT = "_corrupt_record";
  /** The prefix of the raw (untyped) copies of the schema's columns. */
  public static final String RAW = "_raw_";
  /** Comma-separated reason codes of a row, for counting. */
  public static final String CODES = "_reason_codes";

  private final SparkSession spark;
  private final JobContext ctx;

  public TableReader(JobContext ctx) {
    this.spark = ctx.spark();
    this.ctx = ctx;
  }

  /** Reads {@code path} in {@code format}; returns the accepted rows with the schema's columns. */
  public Dataset<Row> read(String path, InputFormat format, InputSchema schema) {
    return read(path, format, schema, new Column[0]).accepted();
  }

  /**
   * The accepted rows of an input, and the values of the caller's aggregates computed in the
   * same pass over the input as the reader's own counts ({@code aggregates.get(i)} is the i-th).
   */
  public record Read(Dataset<Row> accepted, Row aggregates) {}

  /**
   * Whether a row of the checked input is well-formed: for aggregates passed to
   * {@link #read(String, InputFormat, InputSchema, Column...)}, which see every row.
   */
  public static Column wellFormed() {
    return col(REASON).equalTo("");
  }

  /**
   * As {@link #read(String, InputFormat, InputSchema)}, also computing {@code aggregates}
   * (expressions over the schema's typed columns, seeing every row: restrict them to the
   * accepted ones with {@link #wellFormed()}) in the same pass as the reader's counts, so that
   * a job needing counts of its input before its real work reads it once for both.
   */
  public Read read(String path, InputFormat format, InputSchema schema, Column... aggregates) {
    CheckedInput in = check(path, format, schema);
    Dataset<Row> checked = in.checked();
    Column[] rest = new Column[aggregates.length + 1];
    rest[0] = sum(when(col(REASON).notEqual(""), 1).otherwise(0));
    System.arraycopy(aggregates, 0, rest, 1, aggregates.length);
    Row totals = checked.agg(count(lit(1)), rest).first();
    account(in, totals.getLong(0), totals.isNullAt(1) ? 0 : totals.getLong(1));
    Object[] values = new Object[aggregates.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = totals.get(2 + i);
    }
    return new Read(in.accepted(), org.apache.spark.sql.RowFactory.create(values));
  }

  /**
   * Accounts for an input of {@link #check} whose rows and malformed rows the caller counted in
   * its own pass: the malformed rows' reasons counted and the rows quarantined (passes that run
   * only when there are some), the report's entry, and the failure when there are too many.
   */
  public void account(CheckedInput in, long rows, long bad) {
    Map<String, Long> reasons = bad == 0 ? Map.of() : reasonCounts(in.checked());
    String quarantine = null;
    if (bad > 0) {
      quarantine = "_quarantine/" + in.name();
      in.rejected().write().parquet(ctx.out().path(quarantine));
    }
    in.account(ctx, rows, bad, reasons, quarantine);
  }

  /**
   * Reads {@code path} and marks every row with its {@code _reason} (empty when well-formed)
   * without running anything: for jobs that count and quarantine in their own single pass and then
   * call {@link CheckedInput#account}. Fails at once when a required column is absent.
   */
  public CheckedInput check(String path, InputFormat format, InputSchema schema) {
    requireExists(path, schema.name());
    Column[] malformed = {lit(false)};
    Dataset<Row> checked = check(readRaw(path, format, schema), schema,
        ctx.options().maxLineBytes(), malformed);
    return new CheckedInput(schema, path, format, checked, malformed[0]);
  }

  private void requireExists(String path, String name) {
    try {
      Path p = new Path(path);
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new JobFailedException("input " + name + ": " + path + " does not exist");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look up input " + path, e);
    }
  }

  private Dataset<Row> readRaw(String path, InputFormat format, InputSchema schema) {
    switch (format) {
      case CSV: {
        String[] header = spark.read().option("header", "true").csv(path).columns();
        requireColumns(schema, Arrays.asList(header), path);
        StructType all = new StructType();
        for (String h : header) {
          all = all.add(h, DataTypes.StringType);
        }
        all = all.add(CORRUPT, DataTypes.StringType);
        return renamed(spark.read().option("header", "true").option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT).schema(all).csv(path), schema);
      }
      case JSONL: {
        StructType all = new StructType();
        for (InputSchema.Field f : schema.fields()) {
          all = all.add(schema.inputName(f.name()), isScalar(f.type()) ? DataTypes.StringType
              : f.type());
        }
        all = all.add(CORRUPT, DataTypes.StringType);
        // Lines are measured before parsing: an overlong one is set aside whole, unparsed.
        long limit = ctx.options().maxLineBytes();
        Dataset<Row> lines = spark.read().text(path);
        Column length = functions.octet_length(col("value"));
        Dataset<Row> parsed = spark.read().option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT).schema(all)
            .json(lines.filter(length.leq(limit)).as(Encoders.STRING()));
        List<Column> overlong = new ArrayList<>();
        for (var f : all.fields()) {
          overlong.add(f.name().equals(CORRUPT) ? col("value").as(CORRUPT)
              : lit(null).cast(f.dataType()).as(f.name()));
        }
        return renamed(parsed.unionByName(lines.filter(length.gt(limit))
            .select(overlong.toArray(Column[]::new))), schema);
      }
      default: {
        Dataset<Row> df = spark.read().parquet(path);
        requireColumns(schema, Arrays.asList(df.columns()), path);
        return renamed(df, schema);
      }
    }
  }

  private static void requireColumns(InputSchema schema, List<String> present, String path) {
    for (InputSchema.Field f : schema.fields()) {
      String in = schema.inputName(f.name());
      if (f.required() && !present.contains(in)) {
        throw new JobFailedException(String.format(
            "input %s (%s): required column '%s' (%s) is missing; found columns %s%s",
            schema.name(), path, in, f.type().simpleString(), present,
            in.equals(f.name()) ? "" : " (mapped from " + f.name() + ")"));
      }
    }
  }

  private static Dataset<Row> renamed(Dataset<Row> df, InputSchema schema) {
    Dataset<Row> out = df;
    for (var e : schema.aliases().entrySet()) {
      out = out.withColumnRenamed(e.getValue(), e.getKey());
    }
    return out;
  }

  /**
   * Adds typed columns, raw copies and the {@code _reason} of each row; {@code malformed[0]} is
   * set to a boolean true exactly where the reason is not empty.
   */
  private static Dataset<Row> check(Dataset<Row> raw, InputSchema schema, long maxLineBytes,
      Column[] malformed) {
    List<String> present = Arrays.asList(raw.columns());
    boolean hasCorrupt = present.contains(CORRUPT);
    List<Column> projection = new ArrayList<>();
    List<Column> reasons = new ArrayList<>();
    List<Column> codes = new ArrayList<>();
    for (InputSchema.Field f : schema.fields()) {
      Column r = present.contains(f.name()) ? col(f.name()) : lit(null).cast(f.type());
      DataType rawType = present.contains(f.name())
          ? raw.schema().apply(f.name()).dataType() : f.type();
      projection.add(TypedColumns.convert(r, rawType, f.type(), schema.timestamps())
          .as(f.name()));
      projection.add(r.as(RAW + f.name()));
      // Reasons are evaluated after the projection: raw values under RAW names, typed under own.
      Column rawValue = col(RAW + f.name());
      if (f.required()) {
        reasons.add(when(rawValue.isNull(), lit("missing " + f.name())));
        malformed[0] = malformed[0].or(rawValue.isNull());
        codes.add(when(rawValue.isNull(), lit("missing_" + f.name())));
      }
      if (!rawType.equals(f.type())) {
        String expected = f.name() + ": expected " + (f.type().equals(DataTypes.TimestampType)
            ? schema.timestamps().expectation() : f.type().simpleString()) + ", got '";
        Column unparsable = rawValue.isNotNull().and(col(f.name()).isNull());
        reasons.add(when(unparsable,
            functions.concat(lit(expected), rawValue.cast("string"), lit("'"))));
        codes.add(when(unparsable, lit("bad_" + f.name())));
        malformed[0] = malformed[0].or(unparsable);
      }
    }
    if (hasCorrupt) {
      projection.add(col(CORRUPT));
    }
    if (schema.keepOtherColumns()) {
      for (String c : present) {
        if (!c.equals(CORRUPT) && schema.fields().stream().noneMatch(f -> f.name().equals(c))) {
          projection.add(col(c));
        }
      }
    }
    Dataset<Row> typed = raw.select(projection.toArray(Column[]::new));
    for (InputSchema.Rule rule : schema.rules()) {
      reasons.add(when(rule.violated(), lit(rule.reason())));
      codes.add(when(rule.violated(), lit(rule.code())));
      malformed[0] = malformed[0].or(functions.coalesce(rule.violated(), lit(false)));
    }
    Column reason = concat_ws("; ", reasons.toArray(Column[]::new));
    Column code = concat_ws(",", codes.toArray(Column[]::new));
    if (hasCorrupt) {
      Column overlong = functions.octet_length(col(CORRUPT)).gt(maxLineBytes);
      reason = when(overlong, lit("line longer than " + maxLineBytes + " bytes"))
          .when(col(CORRUPT).isNotNull(), lit("malformed record")).otherwise(reason);
      malformed[0] = malformed[0].or(col(CORRUPT).isNotNull());
      code = when(overlong, lit("line_too_long"))
          .when(col(CORRUPT).isNotNull(), lit("malformed")).otherwise(code);
    }
    return typed.withColumn(REASON, reason).withColumn(CODES, code);
  }

  private static boolean isScalar(DataType t) {
    return !(t instanceof org.apache.spark.sql.types.ArrayType
        || t instanceof StructType || t instanceof org.apache.spark.sql.types.MapType);
  }

  /** Counts bad rows per reason code; the codes are bounded by the schema, not the input. */
  private static Map<String, Long> reasonCounts(Dataset<Row> checked) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Row r : checked.filter(col(REASON).notEqual(""))
        .select(functions.explode(functions.split(col(CODES), ",")).as("code"))
        .groupBy("code").count().orderBy("code").collectAsList()) {
      out.put(r.getString(0), r.getLong(1));
    }
    return out;
  }

  /** A required column null in every accepted row is a column the input does not have. */
  static void checkNotAllNull(Dataset<Row> checked, InputSchema schema, String path) {
    List<Column> nonNull = new ArrayList<>();
    List<InputSchema.Field> required = new ArrayList<>();
    for (InputSchema.Field f : schema.fields()) {
      if (f.required()) {
        nonNull.add(count(col(RAW + f.name())));
        required.add(f);
      }
    }
    if (nonNull.isEmpty()) {
      return;
    }
    Row r = checked.agg(nonNull.get(0), nonNull.subList(1, nonNull.size()).toArray(Column[]::new))
        .first();
    for (int i = 0; i < required.size(); i++) {
      if (r.getLong(i) == 0) {
        InputSchema.Field f = required.get(i);
        throw new JobFailedException(String.format(
            "input %s (%s): required column '%s' (%s) is missing or empty in every row",
            schema.name(), path, f.name(), f.type().simpleString()));
      }
    }
  }
}
