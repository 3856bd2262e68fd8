package org.parallax.retrieval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Queries whose term states come from {@link TermStatesCache} find the same documents with the
 * same scores as queries Lucene weights itself, over several segments, with terms repeated
 * across queries, terms missing from the index, and a cache small enough to start over often.
 */
class TermStatesCacheTest {
  @ParameterizedTest
  @ValueSource(ints = {1, 5, 1 << 16})
  void sameHitsAndScoresAsUncachedQueries(int capacity) throws Exception {
    long seed = 20261206L;
    Random r = new Random(seed);
    try (ByteBuffersDirectory dir = new ByteBuffersDirectory()) {
      IndexWriterConfig config = new IndexWriterConfig(AnalyzerConfig.ANSERINI.create())
          .setSimilarity(Bm25Config.ANSERINI.similarity())
          .setMergePolicy(NoMergePolicy.INSTANCE);
      try (IndexWriter w = new IndexWriter(dir, config)) {
        for (int d = 0; d < 600; d++) {
          StringBuilder text = new StringBuilder();
          for (int i = 5 + r.nextInt(30); i > 0; i--) {
            text.append('w').append((int) Math.abs(r.nextGaussian() * 40)).append(' ');
          }
          Document doc = new Document();
          doc.add(new TextField(PassageFields.CONTENTS, text.toString(), Field.Store.NO));
          w.addDocument(doc);
          if (d % 150 == 149) {
            w.commit();
          }
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        assertEquals(4, reader.leaves().size());
        IndexSearcher searcher = new IndexSearcher(reader);
        searcher.setSimilarity(Bm25Config.ANSERINI.similarity());
        TermStatesCache cache = new TermStatesCache(searcher, PassageFields.CONTENTS, capacity);
        int compared = 0;
        for (int q = 0; q < 300; q++) {
          Map<String, Integer> terms = new LinkedHashMap<>();
          for (int i = 1 + r.nextInt(4); i > 0; i--) {
            // w0..w59 and absent terms w200..w209; a repeated term is a boosted clause.
            String t = r.nextInt(10) == 0 ? "w" + (200 + r.nextInt(10)) : "w" + r.nextInt(60);
            terms.merge(t, 1, Integer::sum);
          }
          TopDocs expected = searcher.search(QueryTerms.toQuery(terms), 10);
          TopDocs actual = searcher.search(QueryTerms.toQuery(terms, cache::query), 10);
          assertArrayEquals(docsAndScores(expected), docsAndScores(actual),
              "seed " + seed + " query " + terms);
          compared += expected.scoreDocs.length;
        }
        assertTrue(compared > 2000, "too few hits compared: " + compared);
      }
    }
  }

  private static float[] docsAndScores(TopDocs top) {
    float[] out = new float[2 * top.scoreDocs.length];
    for (int i = 0; i < top.scoreDocs.length; i++) {
      ScoreDoc d = top.scoreDocs[i];
      out[2 * i] = d.doc;
      out[2 * i + 1] = d.score;
    }
    return out;
  }
}
