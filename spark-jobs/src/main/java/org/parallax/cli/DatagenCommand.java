package org.parallax.cli;

import org.parallax.common.Job;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code datagen <recsys|retrieval|avinfo>}: seeded synthetic inputs with ground truth. */
@Command(name = "datagen", mixinStandardHelpOptions = true,
    description = "Generate seeded synthetic inputs with known ground truth, in parallel on Spark.")
public final class DatagenCommand extends JobCommand<DatagenOptions> {
  @Parameters(index = "0", paramLabel = "AREA", completionCandidates = Areas.class,
      description = "recsys, retrieval or avinfo.")
  String area;

  @Mixin OutputOptionsMixin common;

  @Option(names = "--scale", defaultValue = "10000", paramLabel = "N",
      description = "Size of the main table: interactions, passages or frames; the grocery "
          + "setting draws N / 10 users with random baskets, so its log holds about N rows "
          + "(the report counts them) (default: ${DEFAULT-VALUE}).")
  long scale;

  @Option(names = "--format", defaultValue = "parquet", paramLabel = "FMT",
      description = "parquet, csv or jsonl for tabular outputs (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(names = "--setting", defaultValue = "default", paramLabel = "NAME",
      description = "The kind of data: default, or for recsys grocery (about 200 items, heavy "
          + "popularity skew, most users 1-5 baskets, weak repeats) (default: ${DEFAULT-VALUE}).")
  String setting;

  /** The areas datagen knows. */
  static final class Areas extends java.util.ArrayList<String> {
    Areas() {
      super(java.util.List.of(DatagenJob.AREAS));
    }
  }

  @Override
  protected Job<DatagenOptions> job() {
    return new DatagenJob(area);
  }

  @Override
  protected DatagenOptions options() {
    if (!new Areas().contains(area)) {
      throw new IllegalArgumentException("unknown area '" + area
          + "'; expected one of recsys, retrieval, avinfo");
    }
    return new DatagenOptions(area, common.toOptions(), scale, format, setting);
  }
}
