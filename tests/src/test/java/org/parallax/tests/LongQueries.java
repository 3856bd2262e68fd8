package org.parallax.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A corpus and queries beyond Lucene's clause limit (1024 clauses): 1,500 terms
 * {@code w0000..w1499} over three passages (term i in passages 0..i % 3, so its document
 * frequency is 1 + i % 3) and a fourth passage of {@code other}. {@link #CUT} has all 1,501 terms
 * (477 of the matching ones must go); {@link #UNKNOWN_ONLY} has 1,000 corpus terms and 200 terms
 * that occur nowhere (over the limit, yet exact once those are dropped).
 */
final class LongQueries {
  static final String CUT = terms(IntStream.range(0, 1500)) + "other";
  static final String KNOWN = terms(IntStream.range(0, 1000));
  static final String UNKNOWN_ONLY = KNOWN + terms(IntStream.range(0, 200)).replace("w", "zzw");

  private LongQueries() {}

  /** The passages, {id, contents}, in id order. */
  static List<String[]> passages() {
    List<String[]> docs = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      int doc = d;
      docs.add(new String[] {"p" + d, "\"P" + d + "\"\n"
          + terms(IntStream.range(0, 1500).filter(i -> i % 3 >= doc))});
    }
    docs.add(new String[] {"p3", "\"Other\"\nother"});
    return docs;
  }

  /** The passages as a JSONL corpus in {@code file}. */
  static Path corpus(Path file) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String[] p : passages()) {
      lines.add(new com.fasterxml.jackson.databind.ObjectMapper()
          .writeValueAsString(java.util.Map.of("id", p[0], "contents", p[1])));
    }
    Files.write(file, lines);
    return file;
  }

  private static String terms(IntStream ids) {
    StringBuilder sb = new StringBuilder();
    ids.forEach(i -> sb.append(String.format("w%04d ", i)));
    return sb.toString();
  }
}
