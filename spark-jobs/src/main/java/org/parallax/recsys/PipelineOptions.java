package org.parallax.recsys;

import java.util.List;
import java.util.Map;
import org.parallax.common.CommonOptions;
import org.parallax.common.TimestampParsing;

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
 * @param alsIterations iterations of the ALS baseline
 * @param score also score every user at the test cutoff
 * @param timestamps how the log's {@code ts} is read (forwarded to {@code recsys graph}); null
 *     for ISO-8601 and epoch numbers in UTC
 * @param lightGcn the LightGCN baseline's settings (eval)
 */
public record PipelineOptions(CommonOptions common, String interactions, String format,
    String users, String items, Map<String, String> columns, int windowDays, int trainWindows,
    int fanout, int dim, int epochs, int k, int alsRank, int alsIterations, boolean score,
    TimestampParsing timestamps, LightGcnOptions lightGcn) {
  private static final double HALF_LIFE_DAYS = RecsysDefaults.real(RecsysDefaults.HALF_LIFE_DAYS);

  /**
   * Validates every stage's options at once, so that bad usage is reported before the first
   * stage starts Spark work.
   */
  public void validate() {
    new GraphOptions(common, interactions, format, users, items, windowDays, trainWindows,
        columns, timestamps);
    new FeaturesOptions(common, interactions, fanout, HALF_LIFE_DAYS, windowDays);
    new TrainOptions(common, interactions, interactions, dim, fanout, epochs, 1, 1, 0, "auto", 2,
        0, 1, 1, HALF_LIFE_DAYS, k, 1);
    new EvalOptions(common, interactions, "test", k, windowDays, alsRank, List.of(), null, 1, 1,
        alsIterations, lightGcn);
  }

  public String stage(String name) {
    return common.out() + "/" + name;
  }

  private CommonOptions stageCommon(String name) {
    return new CommonOptions(stage(name), common.overwrite(), common.seed(),
        common.maxBadFraction(), common.maxLineBytes(), common.waitForOutputSeconds());
  }

  public GraphOptions graph() {
    return new GraphOptions(stageCommon("graph"), interactions, format, users, items, windowDays,
        trainWindows, columns, timestamps);
  }

  public FeaturesOptions features() {
    return new FeaturesOptions(stageCommon("features"), stage("graph"), fanout, HALF_LIFE_DAYS,
        windowDays);
  }

  public TrainOptions train() {
    return new TrainOptions(stageCommon("model"), stage("graph"), stage("features"), dim, fanout,
        epochs, RecsysDefaults.integer(RecsysDefaults.BATCH_SIZE),
        RecsysDefaults.real(RecsysDefaults.LEARNING_RATE),
        RecsysDefaults.real(RecsysDefaults.WEIGHT_DECAY), RecsysDefaults.ITEM_ATTRIBUTES,
        RecsysDefaults.integer(RecsysDefaults.BUCKETS),
        RecsysDefaults.integer(RecsysDefaults.FULL_SOFTMAX_MAX),
        RecsysDefaults.integer(RecsysDefaults.SAMPLED_CANDIDATES),
        RecsysDefaults.integer(RecsysDefaults.MAX_EXAMPLES), HALF_LIFE_DAYS, k,
        RecsysDefaults.integer(RecsysDefaults.PATIENCE));
  }

  public EvalOptions eval() {
    return new EvalOptions(stageCommon("eval"), stage("graph"), "test", k, windowDays, alsRank,
        EvalOptions.BASELINES, stage("model"),
        RecsysDefaults.integer(RecsysDefaults.BATCH_USERS),
        RecsysDefaults.integer(RecsysDefaults.BLOCK_ITEMS), alsIterations, lightGcn);
  }

  public ScoreOptions scoreAll() {
    return new ScoreOptions(stageCommon("recommendations"), stage("graph"), stage("model"),
        "test", "all", k, RecsysDefaults.integer(RecsysDefaults.BATCH_USERS),
        RecsysDefaults.integer(RecsysDefaults.BLOCK_ITEMS), false, 10);
  }
}
