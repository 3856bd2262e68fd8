package org.parallax.rollout;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.parallax.common.InputFormat;
import org.parallax.common.InputSchema;
import org.parallax.common.Job;
import org.parallax.common.JobContext;
import org.parallax.retrieval.ShardedSearch;

/**
 * {@code rollout eval}: Search-R1 rollouts of every question, turn-synchronous on Spark.
 * Trajectories are a DataFrame; each turn is one generation stage (the policy over the active
 * trajectories, batched) and, when the turn may search, one retrieval stage (the sharded search of
 * {@link ShardedSearch} over the turn's queries, {@code --retriever} bm25, e5 or hybrid), joined
 * back and applied by {@link Trajectory#advance}. Every turn is checkpointed, so {@code --resume}
 * continues a killed job from its last complete turn with the same results. Modes:
 * {@code search-r1} (the multi-turn protocol), {@code rag} (retrieve once with the question, then answer)
 * and {@code direct} (no retrieval). Writes {@code rollouts/} and metrics per {@code data_source}.
 */
public final class RolloutJob implements Job<RolloutOptions> {
  /** Fault injection for tests: fail right after checkpointing this turn. */
  public static final String FAIL_AFTER_TURN = "parallax.rollout.failAfterTurn";

  @Override
  public String name() {
    return "rollout eval";
  }

  @Override
  public java.util.List<String> inputs(RolloutOptions o) {
    return java.util.Arrays.asList(o.questions(), o.index());
  }

  @Override
  public void run(JobContext ctx, RolloutOptions o) {
    Checkpoints ckpt = new Checkpoints(ctx.spark(), ctx.out().fileSystem(), ctx.out().target());
    String config = checkpointConfig(o);
    ShardedSearch search = o.mode().equals("direct") ? null
        : new ShardedSearch(ctx.spark(), o.index(), o.localDir(), o.retriever());
    if (search != null) {
      ctx.report().count("search_queries_over_clause_limit", 0)
          .count("search_queries_cut_to_clause_limit", 0);
    }
    Integer done = o.resume() ? ckpt.latest(config) : null;
    Dataset<Row> traj;
    if (done == null) {
      ckpt.reset(config);
      traj = start(ctx, o, search);
      traj = ckpt.trajectories(Checkpoints.START, traj);
      done = Checkpoints.START;
    } else {
      ctx.report().count("resumed_after_turn", done);
      traj = ckpt.trajectories(done);
    }
    for (int t = done + 1; t < o.turns(); t++) {
      long active = traj.filter(col("status").equalTo(Trajectory.ACTIVE)).count();
      ctx.report().count("active_at_turn_" + t, active);
      if (active == 0) {
        break;
      }
      Dataset<Row> current = traj;
      int turn = t;
      traj = ctx.report().time("turn " + t,
          () -> ckpt.trajectories(turn, turn(ctx, o, search, ckpt, current, turn)));
      if (Integer.toString(t).equals(System.getProperty(FAIL_AFTER_TURN))) {
        throw new IllegalStateException("fault injected after turn " + t);
      }
    }
    Dataset<Row> rollouts = traj.mapPartitions(RolloutFunctions.score(),
        Encoders.row(TrajectorySchema.ROLLOUT));
    ctx.report().time("score", () -> rollouts.write().parquet(ctx.out().path("rollouts")));
    new RolloutMetrics(ctx, o).report(ctx.spark().read().parquet(ctx.out().path("rollouts")));
    ckpt.delete();
  }

  /** The initial trajectories: one per question, with its prompt (and, for rag, passages). */
  private static Dataset<Row> start(JobContext ctx, RolloutOptions o, ShardedSearch search) {
    InputSchema schema = InputSchema.named("questions")
        .required("id", DataTypes.StringType)
        .optional("question", DataTypes.StringType)
        .optional("golden_answers", DataTypes.createArrayType(DataTypes.StringType))
        .optional("data_source", DataTypes.StringType)
        .build();
    Dataset<Row> q = ctx.reader().read(o.questions(), InputFormat.of(o.questions(), o.format()),
        schema);
    Dataset<Row> init = q.mapPartitions(RolloutFunctions.start(o.mode(), o.chatTemplate()),
        Encoders.row(TrajectorySchema.TRAJECTORY));
    if (!o.mode().equals("rag")) {
      return init;
    }
    Dataset<Row> queries = init.filter(col("status").equalTo(Trajectory.ACTIVE))
        .select(col("id").as("query_id"), col("question"));
    countClauseLimited(ctx, search, queries);
    return withDocs(init, passages(search, queries, o.topk()))
        .mapPartitions(RolloutFunctions.ragPrompt(o.chatTemplate()),
            Encoders.row(TrajectorySchema.TRAJECTORY));
  }

  /** One turn: generate for the active trajectories, search their queries, advance them all. */
  private static Dataset<Row> turn(JobContext ctx, RolloutOptions o, ShardedSearch search,
      Checkpoints ckpt, Dataset<Row> traj, int t) {
    boolean searchAllowed = o.mode().equals("search-r1") && t < o.maxTurns();
    boolean last = t == o.turns() - 1;
    Dataset<Row> generated = ckpt.generations(t, traj
        .filter(col("status").equalTo(Trajectory.ACTIVE))
        .select(col("id"), col("question"), concat(col("prompt"), col("response")).as("context"))
        .mapPartitions(RolloutFunctions.generate(o.policy(), searchAllowed),
            Encoders.row(TrajectorySchema.GENERATION)));
    Dataset<Row> withText = traj.join(generated.select("id", "text"), "id", "left");
    Dataset<Row> docs = null;
    if (searchAllowed) {
      Dataset<Row> queries = generated.filter(col("action").equalTo("search"))
          .select(col("id").as("query_id"), col("content").as("question"));
      docs = passages(search, queries, o.topk());
      countClauseLimited(ctx, search, queries);
    }
    return withDocs(withText, docs).mapPartitions(RolloutFunctions.advance(t, searchAllowed,
        last, o.contextTokens(), o.informationCap()), Encoders.row(TrajectorySchema.TRAJECTORY));
  }

  /**
   * Adds the turn's queries beyond Lucene's clause limit to the report's counts (summed over
   * turns): {@code search_queries_over_clause_limit} and {@code search_queries_cut_to_clause_limit}.
   */
  private static void countClauseLimited(JobContext ctx, ShardedSearch search,
      Dataset<Row> queries) {
    long[] c = search.clauseLimitCounts(queries);
    for (int i = 0; i < 2; i++) {
      String name = i == 0 ? "search_queries_over_clause_limit"
          : "search_queries_cut_to_clause_limit";
      Object before = ctx.report().counts.get(name);
      ctx.report().count(name, (before == null ? 0L : ((Number) before).longValue()) + c[i]);
    }
  }

  /** {@code query_id, docs}: each query's top-k (rank, doc_id, contents). */
  private static Dataset<Row> passages(ShardedSearch search, Dataset<Row> queries, int k) {
    return search.search(queries, k).groupBy("query_id")
        .agg(collect_list(struct("rank", "doc_id", "contents")).as("docs"));
  }

  /** Appends a {@code docs} column (null where a trajectory has none) after the others. */
  private static Dataset<Row> withDocs(Dataset<Row> traj, Dataset<Row> docs) {
    List<Column> cols = new ArrayList<>();
    for (String c : traj.columns()) {
      cols.add(traj.col(c));
    }
    if (docs == null) {
      cols.add(lit(null).cast(DataTypes.createArrayType(new org.apache.spark.sql.types.StructType()
          .add("rank", DataTypes.IntegerType).add("doc_id", DataTypes.StringType)
          .add("contents", DataTypes.StringType))).as("docs"));
      return traj.select(cols.toArray(Column[]::new));
    }
    cols.add(docs.col("docs"));
    return traj.join(docs, traj.col("id").equalTo(docs.col("query_id")), "left")
        .select(cols.toArray(Column[]::new));
  }

  /** The options that determine results; checkpoints resume only under the same ones. */
  private static String checkpointConfig(RolloutOptions o) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("questions", o.questions());
    c.put("index", o.index());
    c.put("mode", o.mode());
    c.put("policy", o.policy().toString());
    c.put("max_turns", o.maxTurns());
    c.put("topk", o.topk());
    c.put("context_tokens", o.contextTokens());
    c.put("chat_template", o.chatTemplate());
    c.put("information_cap", o.informationCap().toString());
    c.put("seed", o.common().seed());
    return c.toString();
  }
}
