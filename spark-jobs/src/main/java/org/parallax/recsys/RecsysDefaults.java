package org.parallax.recsys;

/**
 * The one source of the defaults of options that several recsys commands share (the stage
 * commands and {@code recsys pipeline}), as strings because picocli annotations take them so.
 */
public final class RecsysDefaults {
  private RecsysDefaults() {}

  public static final String WINDOW_DAYS = "7";
  public static final String TRAIN_WINDOWS = "20";
  public static final String FANOUT = "32";
  public static final String HALF_LIFE_DAYS = "30";
  public static final String DIM = "32";
  public static final String EPOCHS = "15";
  public static final String BATCH_SIZE = "128";
  public static final String LEARNING_RATE = "0.01";
  public static final String WEIGHT_DECAY = "0.0001";
  public static final String ITEM_ATTRIBUTES = "auto";
  public static final String BUCKETS = "1024";
  public static final String FULL_SOFTMAX_MAX = "20000";
  public static final String SAMPLED_CANDIDATES = "4096";
  public static final String MAX_EXAMPLES = "0";
  public static final String K = "12";
  public static final String PATIENCE = "4";
  public static final String ALS_RANK = "32";
  public static final String ALS_ITERATIONS = "10";
  public static final String BATCH_USERS = "512";
  public static final String BLOCK_ITEMS = "8192";
  public static final String VERIFY_SAMPLE = "0";
  public static final String LIGHTGCN_LAYERS = "3";
  public static final String LIGHTGCN_DIM = "64";
  public static final String LIGHTGCN_EPOCHS = "30";
  public static final String LIGHTGCN_LEARNING_RATE = "0.01";
  public static final String LIGHTGCN_L2 = "0.0001";
  public static final String LIGHTGCN_BATCH_SIZE = "2048";

  public static int integer(String value) {
    return Integer.parseInt(value);
  }

  public static double real(String value) {
    return Double.parseDouble(value);
  }
}
