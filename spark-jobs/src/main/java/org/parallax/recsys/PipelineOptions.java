package org.parallax.recsys;

import java.util.List;
import java.util.Map;
import org.parallax.common.CommonOptions;

/**
 * Options of {@code recsys pipeline}: those of its stages, with their outputs under one root.
 * The stage options it derives are the defaults the demo uses too.
 *
 * @param common the root directory (each stage writes a subdirectory), overwrite, seed, bad rows
 * @param interactions the interaction log
 * @param format format of the inputs, or null for the extension
 * @param users optional user table
 * @param items optional item table
 * @param columns the log's own column names
 * @param windowDays label window
 * @param trainWindows training cutoffs
 * @param fanout familiar items per user (features and model)
 * @param dim model width
 * @param epochs training epochs
 * @param k recommendations per user
 * @param alsRank factors of the ALS baseline
 * @param score also score every user at the test cutoff
 */
public record PipelineOptions(CommonOptions common, String interactions, String format,
    String users, String items, Map<String, String> columns, int windowDays, int trainWindows,
    int fanout, int dim, int epochs, int k, int alsRank, boolean score) {
  private static final double HALF_LIFE_DAYS = 30;

  public String stage(String name) {
    return common.out() + "/" + name;
  }

  private CommonOptions stageCommon(String name) {
    return new CommonOptions(stage(name), common.overwrite(), common.seed(),
        common.maxBadFraction());
  }

  public GraphOptions graph() {
    return new GraphOptions(stageCommon("graph"), interactions, format, users, items, windowDays,
        trainWindows, columns);
  }

  public FeaturesOptions features() {
    return new FeaturesOptions(stageCommon("features"), stage("graph"), fanout, HALF_LIFE_DAYS,
        windowDays);
  }

  public TrainOptions train() {
    return new TrainOptions(stageCommon("model"), stage("graph"), stage("features"), dim, fanout,
        epochs, 128, 0.01, 1e-4, "auto", 1024, 20_000, 4096, 200_000, HALF_LIFE_DAYS);
  }

  public EvalOptions eval() {
    return new EvalOptions(stageCommon("eval"), stage("graph"), "test", k, windowDays, alsRank,
        List.of("popularity", "past_visits", "als"), stage("model"), 512, 8192, 10);
  }

  public ScoreOptions scoreAll() {
    return new ScoreOptions(stageCommon("recommendations"), stage("graph"), stage("model"),
        "test", "all", k, 512, 8192, false, 10);
  }
}
