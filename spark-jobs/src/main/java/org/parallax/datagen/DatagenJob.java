package org.parallax.datagen;

import org.parallax.common.Job;
import org.parallax.common.JobContext;

/**
 * {@code datagen <recsys|retrieval|avinfo>}: seeded synthetic inputs with ground truth written
 * beside the data, at any scale, generated in parallel on Spark.
 */
public final class DatagenJob implements Job<DatagenOptions> {
  public static final String[] AREAS = {"recsys", "retrieval", "avinfo"};
  private final String area;

  public DatagenJob(String area) {
    this.area = area;
  }

  @Override
  public String name() {
    return "datagen " + area;
  }

  @Override
  public java.util.List<String> inputs(DatagenOptions o) {
    return java.util.List.of();
  }

  @Override
  public void run(JobContext ctx, DatagenOptions options) {
    switch (options.area()) {
      case "recsys":
        if (options.setting().equals("grocery")) {
          GroceryGenerator.generate(ctx, options);
        } else {
          RecsysGenerator.generate(ctx, options);
        }
        break;
      case "retrieval":
        RetrievalGenerator.generate(ctx, options);
        break;
      case "avinfo":
        AvinfoGenerator.generate(ctx, options);
        break;
      default:
        throw new IllegalArgumentException("unknown datagen area " + options.area()
            + "; expected recsys, retrieval or avinfo");
    }
  }
}
