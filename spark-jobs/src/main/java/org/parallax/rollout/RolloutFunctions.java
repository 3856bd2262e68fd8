package org.parallax.rollout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.parallax.common.PerRow;

/**
 * The executor-side steps of a rollout turn, as {@code mapPartitions} functions: generating the
 * turn of every active trajectory (the policy, batched), advancing trajectories with their
 * generation and retrieved passages, and scoring finished ones.
 */
final class RolloutFunctions {
  private RolloutFunctions() {}

  /** (id, question, context) to (id, cut text, action, content), in policy batches. */
  static MapPartitionsFunction<Row, Row> generate(PolicySpec spec, boolean searchAllowed) {
    return rows -> {
      Policy policy = Policies.get(spec);
      List<Row> out = new ArrayList<>();
      List<Row> batch = new ArrayList<>();
      while (rows.hasNext()) {
        batch.add(rows.next());
        if (batch.size() == spec.batchSize() || !rows.hasNext()) {
          List<Policy.Input> inputs = new ArrayList<>();
          for (Row r : batch) {
            inputs.add(new Policy.Input(r.getString(1), r.getString(2), searchAllowed));
          }
          List<String> texts = policy.generate(inputs);
          for (int i = 0; i < batch.size(); i++) {
            String cut = SearchR1Protocol.cut(texts.get(i));
            SearchR1Protocol.Action a = SearchR1Protocol.action(cut);
            out.add(RowFactory.create(batch.get(i).getString(0), cut,
                a.kind().name().toLowerCase(java.util.Locale.ROOT), a.content()));
          }
          batch.clear();
        }
      }
      return out.iterator();
    };
  }

  /**
   * (trajectory columns, text, action, docs: array of (rank, doc_id, contents)) to the
   * trajectory after this turn; rows without a generation (finished ones) pass unchanged.
   */
  static MapPartitionsFunction<Row, Row> advance(int turn, boolean searchAllowed, boolean last,
      int contextTokens, ObservationCap cap) {
    int n = TrajectorySchema.TRAJECTORY.size();
    return PerRow.map(r -> {
      Trajectory t = Trajectory.of(r);
      if (t.active() && !r.isNullAt(n)) {
        t.advance(turn, r.getString(n), searchAllowed, docs(r, n + 1), last, contextTokens,
            cap);
      }
      return t.toRow();
    });
  }

  /** (id, question, golden_answers, data_source) to a new trajectory with its mode's prompt. */
  static MapPartitionsFunction<Row, Row> start(String mode, String chatTemplate) {
    return PerRow.map(r -> {
      String question = r.getString(1);
      String prompt = mode.equals("direct")
          ? SearchR1Protocol.directPrompt(question, chatTemplate)
          : SearchR1Protocol.prompt(question, chatTemplate);
      return Trajectory.start(r.getString(0), question, r.isNullAt(2) ? null : r.getList(2),
          r.isNullAt(3) ? "unknown" : r.getString(3), prompt).toRow();
    });
  }

  /** The RAG baseline's first step: record the question's passages, then build the prompt. */
  static MapPartitionsFunction<Row, Row> ragPrompt(String chatTemplate) {
    int n = TrajectorySchema.TRAJECTORY.size();
    return PerRow.map(r -> {
      Trajectory t = Trajectory.of(r);
      if (t.active()) {
        List<String[]> docs = docs(r, n);
        t.retrieved(0, t.question, docs);
        List<String> contents = new ArrayList<>();
        docs.forEach(d -> contents.add(d[1]));
        t.prompt = SearchR1Protocol.ragPrompt(t.question, contents, chatTemplate);
      }
      return t.toRow();
    });
  }

  /** Trajectories to scored rollouts. */
  static MapPartitionsFunction<Row, Row> score() {
    return PerRow.map(r -> Trajectory.of(r).scored());
  }

  /** The (doc_id, contents) passages in column {@code i}, by rank; empty when null. */
  private static List<String[]> docs(Row r, int i) {
    if (r.isNullAt(i)) {
      return List.of();
    }
    List<Row> hits = new ArrayList<>(r.getList(i));
    hits.sort(Comparator.comparingInt(h -> h.getInt(0)));
    List<String[]> out = new ArrayList<>();
    for (Row h : hits) {
      out.add(new String[] {h.getString(1), h.getString(2)});
    }
    return out;
  }
}
