package org.parallax.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedIndexTest {
  @TempDir Path tmp;

  private static final String[][] TINY = {
    {"a", "\"Apple\"\napple banana"},
    {"b", "\"Apple pie\"\napple apple cherry"},
    {"c", "\"Cherry\"\ncherry cherry cherry date"},
    {"d", "\"Date\"\ndate"},
  };

  @Test
  void bm25ScoreMatchesHandComputation() throws Exception {
    Path dir = tmp.resolve("one");
    ShardWriter.write(dir, List.of(TINY).iterator(), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI, 16);
    try (ShardedIndex index = new ShardedIndex(List.of(dir), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI)) {
      List<Hit> hits = index.search("banana", 10);
      assertEquals(1, hits.size());
      // Titles are indexed too: doc a has 3 tokens (apple, apple, banana), the corpus 3+5+5+2 = 15
      // over 4 docs; banana occurs in 1 doc.
      double idf = Math.log(1 + (4 - 1 + 0.5) / (1 + 0.5));
      double norm = 0.9 * (1 - 0.4 + 0.4 * 3 / (15 / 4.0));
      assertEquals(idf * 1 / (1 + norm), hits.get(0).score(), 1e-6);
      assertEquals("a", hits.get(0).docId());
      assertEquals(TINY[0][1], hits.get(0).contents());
    }
  }

  @Test
  void stopWordOnlyQueryHasNoTermsAndNoHits() throws Exception {
    Path dir = tmp.resolve("one");
    ShardWriter.write(dir, List.of(TINY).iterator(), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI, 16);
    try (ShardedIndex index = new ShardedIndex(List.of(dir), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI)) {
      assertTrue(QueryTerms.analyze(AnalyzerConfig.ANSERINI.create(), "the of and a").isEmpty());
      assertEquals(List.of(), index.search("the of and a", 5));
      assertEquals(List.of(), index.search("zebra", 5));
    }
  }

  @Test
  void shardedSearchEqualsSingleIndexExactly() throws Exception {
    long seed = 20261124L;
    System.out.println("ShardedIndexTest seed " + seed);
    Random r = new Random(seed);
    String[] vocab = new String[300];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = "w" + Integer.toString(i, 36) + (i % 7 == 0 ? "s" : "");
    }
    List<String[]> docs = new ArrayList<>();
    for (int d = 0; d < 800; d++) {
      StringBuilder sb = new StringBuilder("\"T" + d + "\"\n");
      int len = 5 + r.nextInt(60);
      for (int i = 0; i < len; i++) {
        sb.append(vocab[(int) Math.min(vocab.length - 1, Math.abs(r.nextGaussian()) * 60)])
            .append(' ');
      }
      docs.add(new String[] {Integer.toString(d), sb.toString()});
    }
    // Copies of passages under other ids: equal scores that span shards, ordered by id.
    for (int d = 0; d < 200; d++) {
      docs.add(new String[] {"c" + d, docs.get(d % 100)[1]});
    }
    docs.sort(Comparator.comparing(x -> x[0]));
    Path single = tmp.resolve("single");
    ShardWriter.write(single, docs.iterator(), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, 16);
    // 2 and 7 shards; -2, -3 and -4: 2, 3 and 4 shards in the layouts written before (ids of
    // ties and passages read from stored fields; ids from sorted doc values, passages stored;
    // passages as binary doc values).
    for (int variant : new int[] {2, 7, -2, -3, -4}) {
      int n = Math.abs(variant);
      ShardWriter.Layout layout = variant == -2 ? ShardWriter.Layout.STORED
          : variant == -3 ? ShardWriter.Layout.SORTED_IDS
          : variant == -4 ? ShardWriter.Layout.DOC_VALUES : ShardWriter.Layout.TEXT_FILE;
      List<Path> shards = new ArrayList<>();
      for (int s = 0; s < n; s++) {
        int shard = s;
        Path p = tmp.resolve(variant + "-" + s);
        ShardWriter.write(p, docs.stream().filter(x -> Math.floorMod(x[0].hashCode(), n) == shard)
            .iterator(), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, 16, layout, 1);
        shards.add(p);
      }
      try (ShardedIndex one = new ShardedIndex(List.of(single), AnalyzerConfig.ANSERINI,
          Bm25Config.ANSERINI);
          ShardedIndex many = new ShardedIndex(shards, AnalyzerConfig.ANSERINI,
              Bm25Config.ANSERINI)) {
        assertEquals(1000, many.numDocs());
        int tied = 0;
        for (int q = 0; q < 100; q++) {
          String query = vocab[r.nextInt(80)] + " " + vocab[r.nextInt(200)] + " "
              + vocab[r.nextInt(20)];
          List<Hit> expected = one.search(query, 10);
          List<Hit> actual = many.search(query, 10);
          assertEquals(expected.size(), actual.size(), query);
          for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).docId(), actual.get(i).docId(), query + " rank " + i);
            assertEquals(expected.get(i).score(), actual.get(i).score(), 0f, query);
            assertEquals(expected.get(i).contents(), actual.get(i).contents(), query);
            if (i > 0 && expected.get(i).score() == expected.get(i - 1).score()) {
              tied++;
            }
          }
        }
        assertTrue(tied > 20, "too few tied scores to test their order: " + tied);
      }
    }
  }

  /**
   * 1,500 terms {@code w0000..w1499} over three passages: term i is in passages 0..(i % 3), so
   * its document frequency is 1 + i % 3; passage 3 holds only {@code other}.
   */
  private List<Path> clauseCorpus() throws Exception {
    List<String[]> docs = new ArrayList<>();
    for (int d = 0; d < 3; d++) {
      StringBuilder sb = new StringBuilder("\"P" + d + "\"\n");
      for (int i = 0; i < 1500; i++) {
        if (i % 3 >= d) {
          sb.append(term(i)).append(' ');
        }
      }
      docs.add(new String[] {"p" + d, sb.toString()});
    }
    docs.add(new String[] {"p3", "\"Other\"\nother"});
    List<Path> shards = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      int shard = s;
      Path p = tmp.resolve("clauses-" + s);
      ShardWriter.write(p, docs.stream().filter(x -> Math.floorMod(x[0].hashCode(), 2) == shard)
          .iterator(), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, 16);
      shards.add(p);
    }
    return shards;
  }

  private static String term(int i) {
    return String.format("w%04d", i);
  }

  private static String terms(java.util.stream.IntStream ids) {
    StringBuilder sb = new StringBuilder();
    ids.forEach(i -> sb.append(term(i)).append(' '));
    return sb.toString();
  }

  @Test
  void queryOverClauseLimitOnlyThroughUnknownTermsIsExact() throws Exception {
    try (ShardedIndex index = new ShardedIndex(clauseCorpus(), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI)) {
      assertEquals(1024, ClauseLimit.limit());
      // 1,000 corpus terms and 200 unknown ones, some repeated: 1,200 distinct terms, more
      // clauses than Lucene takes, yet the unknown ones match nothing and are dropped.
      String known = terms(java.util.stream.IntStream.range(0, 1000));
      StringBuilder unknown = new StringBuilder();
      for (int i = 0; i < 200; i++) {
        unknown.append("zz").append(term(i)).append(' ').append(i % 2 == 0 ? "zz" + term(i) + " "
            : "");
      }
      String text = known + unknown + known.substring(0, 60);
      assertEquals(1200, QueryTerms.analyze(AnalyzerConfig.ANSERINI.create(), text).size());
      org.junit.jupiter.api.Assertions.assertThrows(
          org.apache.lucene.search.IndexSearcher.TooManyClauses.class, () -> QueryTerms.toQuery(
              QueryTerms.analyze(AnalyzerConfig.ANSERINI.create(), text)),
          "Lucene refuses the whole query");
      ShardedIndex.Result r = index.query(text, 10);
      assertEquals(0, r.droppedTerms());
      assertEquals(index.search(known + known.substring(0, 60), 10), r.hits(),
          "same hits and scores as the query without the unknown terms");
      assertEquals(3, r.hits().size());
      assertEquals(0, index.clauseLimit(text).dropped());
      assertEquals(null, index.clauseLimit(known), "within the limit: untouched");
    }
  }

  @Test
  void queryOverClauseLimitKeepsTheTermsOfHighestIdf() throws Exception {
    try (ShardedIndex index = new ShardedIndex(clauseCorpus(), AnalyzerConfig.ANSERINI,
        Bm25Config.ANSERINI)) {
      String text = terms(java.util.stream.IntStream.range(0, 1500)) + " other";
      ShardedIndex.Result r = index.query(text, 10);
      assertEquals(1501 - 1024, r.droppedTerms());
      // Kept: the 500 terms of document frequency 1 (i % 3 == 0), the 500 of frequency 2, and
      // of the 500 of frequency 3 the first 24 in query order (i = 2, 5, ..., 71); "other" (df 1)
      // is kept as well, so only 23 of frequency 3 fit.
      String kept = terms(java.util.stream.IntStream.range(0, 1500).filter(i -> i % 3 != 2
          || i <= 2 + 3 * 22)) + " other";
      ClauseLimit.Selection s = index.clauseLimit(text);
      assertEquals(1024, s.terms().size());
      assertEquals(QueryTerms.analyze(AnalyzerConfig.ANSERINI.create(), kept).keySet(),
          s.terms().keySet());
      assertEquals(index.search(kept, 10), r.hits());
      assertEquals(List.of("p0", "p1", "p2", "p3"), r.hits().stream().map(Hit::docId).sorted()
          .toList());
      assertEquals(r.hits(), index.search(text, 10), "search() cuts the same way");
    }
  }
}
