package org.parallax.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.parallax.text.AnswerNormalizer;

/**
 * One question's rollout as it advances turn by turn, converted from and to a trajectory row.
 * {@link #advance} applies one generated turn the way Search-R1's reference does: the cut turn is
 * appended; an answer ends the trajectory; a search appends the {@code <information>} block of the
 * retrieved passages, cut to its first tokens by an {@link ObservationCap} (its character span
 * recorded for retrieved-token masking); anything else
 * appends the invalid-action message. Not thread-safe; one per row.
 */
final class Trajectory {
  static final String ACTIVE = "active";
  private static final Pattern TOKENS = Pattern.compile("[\\p{L}\\p{N}]+|[^\\p{L}\\p{N}\\s]");

  String id;
  String question;
  List<String> golds;
  String dataSource;
  String prompt;
  String response;
  List<Row> turns;
  List<Row> spans;
  int searches;
  int actions;
  int validActions;
  boolean retrievedHasAnswer;
  String status;
  String answer;

  static Trajectory start(String id, String question, List<String> golds, String dataSource,
      String prompt) {
    Trajectory t = new Trajectory();
    t.id = id;
    t.question = question;
    t.golds = golds == null ? List.of() : golds;
    t.dataSource = dataSource;
    t.prompt = prompt;
    t.response = "";
    t.turns = new ArrayList<>();
    t.spans = new ArrayList<>();
    t.status = question == null || question.isBlank() ? "invalid_question" : ACTIVE;
    return t;
  }

  static Trajectory of(Row r) {
    Trajectory t = new Trajectory();
    t.id = r.getString(0);
    t.question = r.getString(1);
    t.golds = r.isNullAt(2) ? List.of() : r.getList(2);
    t.dataSource = r.getString(3);
    t.prompt = r.getString(4);
    t.response = r.getString(5);
    t.turns = new ArrayList<>(r.getList(6));
    t.spans = new ArrayList<>(r.getList(7));
    t.searches = r.getInt(8);
    t.actions = r.getInt(9);
    t.validActions = r.getInt(10);
    t.retrievedHasAnswer = r.getBoolean(11);
    t.status = r.getString(12);
    t.answer = r.isNullAt(13) ? null : r.getString(13);
    return t;
  }

  /** The row; lists go in as arrays, which Spark's row encoder takes (not Java lists). */
  Row toRow() {
    return RowFactory.create(id, question, golds.toArray(String[]::new), dataSource, prompt,
        response, turns.toArray(Row[]::new), spans.toArray(Row[]::new), searches, actions,
        validActions, retrievedHasAnswer, status, answer);
  }

  boolean active() {
    return status.equals(ACTIVE);
  }

  /** Records passages retrieved before the first turn (the RAG baseline). */
  void retrieved(int turn, String query, List<String[]> docs) {
    turns.add(RowFactory.create(turn, "retrieve", query, docIds(docs).toArray(String[]::new)));
    noteAnswerIn(docs);
  }

  /**
   * Applies one generated turn. {@code docs} are the (id, contents) passages retrieved for its
   * query when it searched and searching was allowed; {@code last} marks the final turn;
   * {@code cap} cuts the information block.
   */
  void advance(int turn, String generated, boolean searchAllowed, List<String[]> docs,
      boolean last, int contextTokens, ObservationCap cap) {
    String cut = SearchR1Protocol.cut(generated == null ? "" : generated);
    SearchR1Protocol.Action action = SearchR1Protocol.action(cut);
    response += cut;
    actions++;
    switch (action.kind()) {
      case ANSWER -> {
        validActions++;
        answer = action.content();
        status = "answered";
        turns.add(RowFactory.create(turn, "answer", action.content(), new String[0]));
      }
      case SEARCH -> {
        if (searchAllowed) {
          validActions++;
          searches++;
          String info = cap.apply(SearchR1Protocol.information(contents(docs)));
          spans.add(RowFactory.create(response.length(), response.length() + info.length()));
          response += info;
          noteAnswerIn(docs);
        }
        turns.add(RowFactory.create(turn, "search", action.content(),
            docIds(docs).toArray(String[]::new)));
      }
      default -> {
        response += SearchR1Protocol.INVALID_ACTION;
        turns.add(RowFactory.create(turn, "invalid", "", new String[0]));
      }
    }
    if (active() && last) {
      status = "max_turns";
    } else if (active() && approxTokens(prompt + response) > contextTokens) {
      status = "context_limit";
    }
  }

  /** Scores: em, subem, f1 (null without gold answers or for an invalid question), action rate. */
  Row scored() {
    Row base = toRow();
    Object[] values = new Object[base.length() + 4];
    for (int i = 0; i < base.length(); i++) {
      values[i] = base.get(i);
    }
    boolean scorable = !golds.isEmpty() && !status.equals("invalid_question");
    String prediction = AnswerScorer.lastAnswer(response);
    values[base.length()] = scorable ? (AnswerScorer.exactMatch(prediction, golds) ? 1.0 : 0.0)
        : null;
    values[base.length() + 1] = scorable
        ? (AnswerScorer.substringMatch(prediction, golds) ? 1.0 : 0.0) : null;
    values[base.length() + 2] = scorable ? AnswerScorer.f1(prediction, golds) : null;
    values[base.length() + 3] = actions == 0 ? null : (double) validActions / actions;
    return RowFactory.create(values);
  }

  /** Tokens as words and punctuation marks: an approximation when no tokenizer is at hand. */
  static int approxTokens(String text) {
    int n = 0;
    var m = TOKENS.matcher(text);
    while (m.find()) {
      n++;
    }
    return n;
  }

  private void noteAnswerIn(List<String[]> docs) {
    for (String[] d : docs) {
      for (String g : golds) {
        if (AnswerNormalizer.containsAnswer(d[1], g)) {
          retrievedHasAnswer = true;
          return;
        }
      }
    }
  }

  private static List<String> docIds(List<String[]> docs) {
    List<String> ids = new ArrayList<>();
    docs.forEach(d -> ids.add(d[0]));
    return ids;
  }

  private static List<String> contents(List<String[]> docs) {
    List<String> c = new ArrayList<>();
    docs.forEach(d -> c.add(d[1]));
    return c;
  }
}
