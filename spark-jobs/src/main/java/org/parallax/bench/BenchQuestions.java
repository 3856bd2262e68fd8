package org.parallax.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.Row;
import org.parallax.datagen.RetrievalGenerator;

/**
 * The generator's first {@code n} questions about a corpus of {@code passages}
 * ({@link RetrievalGenerator#question}; distinct but for questions drawn about the same passage),
 * written in the shapes the searchers of the benchmarks read: Search-R1's QA JSON lines (with
 * {@code golden_answers}), the same without answers (what a search-only tool is given), and
 * Anserini's {@code TsvString} topics ({@code id<TAB>question}).
 */
final class BenchQuestions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BenchQuestions() {}

  /** Folders and file of one set of questions. */
  record Written(Path qa, Path plain, Path topics) {}

  /** Writes the QA folder {@code dir} ({@code part-0.json}, with answers) and returns it. */
  static Path qa(Path dir, long seed, long passages, int n) {
    return write(dir, seed, passages, n).qa();
  }

  /**
   * Writes {@code dir/qa/} (with answers), {@code dir/questions/} ({@code id, question} only) and
   * {@code dir/topics.tsv}.
   */
  static Written write(Path dir, long seed, long passages, int n) {
    RetrievalBench.deleteTree(dir);
    Written out = new Written(dir.resolve("qa"), dir.resolve("questions"),
        dir.resolve("topics.tsv"));
    try {
      Files.createDirectories(out.qa());
      Files.createDirectories(out.plain());
      try (BufferedWriter qa = Files.newBufferedWriter(out.qa().resolve("part-0.json"));
          BufferedWriter plain = Files.newBufferedWriter(out.plain().resolve("part-0.json"));
          BufferedWriter topics = Files.newBufferedWriter(out.topics())) {
        for (int i = 0; i < n; i++) {
          Row r = RetrievalGenerator.question(seed, i, passages);
          ObjectNode q = JSON.createObjectNode();
          q.put("id", r.getString(0));
          q.put("question", r.getString(1));
          plain.write(JSON.writeValueAsString(q));
          plain.newLine();
          ArrayNode answers = q.putArray("golden_answers");
          for (String a : (String[]) r.get(2)) {
            answers.add(a);
          }
          q.put("data_source", r.getString(3));
          q.put("gold_doc_id", r.getString(4));
          qa.write(JSON.writeValueAsString(q));
          qa.newLine();
          // Generated questions hold no tab or line break; a topic is one line.
          topics.write(r.getString(0) + "\t" + r.getString(1).replaceAll("[\t\r\n]", " "));
          topics.newLine();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
