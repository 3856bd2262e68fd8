package org.parallax.retrieval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tie order is a property of the index: shards flushed many times under a tiny RAM buffer, then
 * merged (or left in many segments), from passages given in random order, answer exactly as one
 * single-segment index, on a corpus where every passage appears 5 times under other ids (runs of
 * 5 equal scores, within a shard and across shards). A shard without the id sort is refused.
 */
class ShardTieOrderTest {
  private static final int BASE = 600;
  private static final int COPIES = 5;
  @TempDir Path tmp;

  @Test
  void manySegmentsAndShardsGiveTheSingleIndexTopTenWithDuplicates() throws Exception {
    long seed = 20261206L;
    System.out.println("ShardTieOrderTest seed " + seed);
    Random r = new Random(seed);
    String[] vocab = new String[400];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = "w" + Integer.toString(i, 36);
    }
    List<String[]> docs = new ArrayList<>();
    for (int d = 0; d < BASE; d++) {
      StringBuilder sb = new StringBuilder("\"T" + (d % 50) + "\"\n");
      for (int i = 20 + r.nextInt(60); i > 0; i--) {
        sb.append(vocab[(int) Math.min(vocab.length - 1, Math.abs(r.nextGaussian()) * 80)])
            .append(' ');
      }
      for (int c = 0; c < COPIES; c++) {
        // Ids whose String order differs from their number order and from insertion order.
        docs.add(new String[] {Integer.toString((d * 7919 + c * 104729) % 99991, 36) + "-" + c,
            sb.toString()});
      }
    }
    Collections.shuffle(docs, r);
    Path single = tmp.resolve("single");
    ShardWriter.write(single, docs.iterator(), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, 64);
    assertEquals(1, segments(single));
    // {shards, segments left after merging}: merged from many flushes, and left unmerged.
    for (int[] variant : new int[][] {{4, 1}, {3, 1000}}) {
      int n = variant[0];
      List<Path> shards = new ArrayList<>();
      int segments = 0;
      for (int s = 0; s < n; s++) {
        int shard = s;
        Path p = tmp.resolve(n + "x" + variant[1] + "-" + s);
        ShardWriter.write(p, docs.stream().filter(x -> Math.floorMod(x[0].hashCode(), n) == shard)
            .iterator(), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI, 0.15,
            ShardWriter.Layout.TEXT_FILE, variant[1]);
        shards.add(p);
        segments += segments(p);
      }
      String what = n + " shards, " + segments + " segments";
      System.out.println("ShardTieOrderTest " + what);
      assertTrue(variant[1] == 1 ? segments == n : segments >= 2 * n, what);
      try (ShardedIndex one = new ShardedIndex(List.of(single), AnalyzerConfig.ANSERINI,
          Bm25Config.ANSERINI);
          ShardedIndex many = new ShardedIndex(shards, AnalyzerConfig.ANSERINI,
              Bm25Config.ANSERINI)) {
        assertEquals(BASE * COPIES, many.numDocs());
        int tied = 0;
        for (int q = 0; q < 80; q++) {
          String query = vocab[r.nextInt(60)] + " " + vocab[r.nextInt(300)] + " "
              + vocab[r.nextInt(20)];
          List<Hit> expected = one.search(query, 10);
          assertEquals(expected, many.search(query, 10), what + ": " + query);
          for (int i = 1; i < expected.size(); i++) {
            tied += expected.get(i).score() == expected.get(i - 1).score() ? 1 : 0;
            assertTrue(Hit.ORDER.compare(expected.get(i - 1), expected.get(i)) < 0, query);
          }
        }
        assertTrue(tied > 300, what + ": too few tied scores to test their order: " + tied);
      }
    }
  }

  @Test
  void shardWithoutTheIdSortIsRefusedWithOneLine() throws Exception {
    Path old = tmp.resolve("unsorted");
    try (IndexWriter w = new IndexWriter(FSDirectory.open(old),
        new IndexWriterConfig(AnalyzerConfig.ANSERINI.create()))) {
      Document d = new Document();
      d.add(new StringField(PassageFields.ID, "a", Field.Store.YES));
      d.add(new TextField(PassageFields.CONTENTS, "\"A\"\napple", Field.Store.YES));
      w.addDocument(d);
    }
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ShardedIndex(List.of(old), AnalyzerConfig.ANSERINI, Bm25Config.ANSERINI));
    assertTrue(e.getMessage().contains(old.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("rebuild the index with `retrieval index`"),
        e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void sortKeyOrdersLikeStringCompareTo() {
    // A supplementary character (surrogates D800-DFFF) sorts before U+FFFD in UTF-16, after it
    // by code point (UTF-8).
    String[] ids = {"b", "a", "ab", "\ud83d\ude00", "\ufffd", "A", "é", "e\u0301", ""};
    List<String> byString = new ArrayList<>(List.of(ids));
    Collections.sort(byString);
    List<String> byKey = new ArrayList<>(List.of(ids));
    byKey.sort((x, y) -> ShardOrder.keyBytes(x).compareTo(ShardOrder.keyBytes(y)));
    assertEquals(byString, byKey);
    assertTrue(new org.apache.lucene.util.BytesRef("\ud83d\ude00").compareTo(
        new org.apache.lucene.util.BytesRef("\ufffd")) > 0, "UTF-8 would order them the other way");
  }

  private static int segments(Path dir) throws Exception {
    try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(dir))) {
      return r.leaves().size();
    }
  }
}
