package org.parallax.retrieval.dense;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogByteSizeMergePolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.parallax.retrieval.Hit;

/**
 * The approximate option beside a dense shard: a Lucene index of its embeddings as
 * {@link KnnFloatVectorField}s (HNSW graph, {@code DOT_PRODUCT} similarity: the vectors are unit
 * length, so this is cosine and ranks as the inner product) with the passage ids stored, written
 * in the dense shard's row order so that Lucene document {@code d} is dense row {@code d}.
 * {@link #search} takes the graph's approximate top candidates and scores them with the exact
 * inner product of their dense rows (Lucene's own score is {@code max(0, (1 + dot) / 2)} in its
 * own summation order), so a returned passage has the very score exact search gives it and
 * per-shard lists merge with exact ones' order. Thread-safe; owns its reader.
 */
public final class HnswShard implements Closeable {
  /**
   * Default candidates per shard and query ({@link #search}): the graph search's beam width,
   * Lucene's {@code k}; larger finds more of the exact top k, at a cost about linear in it.
   */
  public static final int DEFAULT_CANDIDATES = 100;
  static final String VECTOR = "vector";
  static final String ID = "id";
  private final Path dir;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  public HnswShard(Path dir) {
    this.dir = dir;
    try {
      this.reader = DirectoryReader.open(FSDirectory.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open HNSW shard " + dir, e);
    }
    this.searcher = new IndexSearcher(reader);
  }

  /**
   * Writes the HNSW index of dense shard {@code dense} to {@code dir}, merged to one segment in
   * row order: documents are added from one thread, and a log merge policy merges only adjacent
   * segments (the default tiered policy may merge any, which would reorder them).
   */
  public static void write(DenseShard dense, Path dir) {
    IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(256)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setUseCompoundFile(false)
        .setMergePolicy(new LogByteSizeMergePolicy());
    try (IndexWriter w = new IndexWriter(FSDirectory.open(dir), config)) {
      for (int r = 0; r < dense.size(); r++) {
        Document d = new Document();
        d.add(new StoredField(ID, dense.id(r)));
        d.add(new KnnFloatVectorField(VECTOR, dense.vector(r),
            VectorSimilarityFunction.DOT_PRODUCT));
        w.addDocument(d);
      }
      w.forceMerge(1);
      w.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write HNSW shard " + dir, e);
    }
  }

  /**
   * The approximate top {@code k} passages for unit vector {@code query}, best first in
   * {@link Hit#ORDER}: the graph's top {@code max(k, candidates)} scored exactly against
   * {@code rows}, the dense shard this graph was built from, and cut to {@code k}.
   *
   * @throws IllegalStateException when the graph's documents are not in {@code rows}' order
   */
  public List<Hit> search(float[] query, int k, int candidates, DenseShard rows) {
    if (k <= 0) {
      return List.of();
    }
    int n = Math.max(k, candidates);
    try {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, n), n);
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      Map<String, Integer> docOf = new HashMap<>();
      for (ScoreDoc sd : top.scoreDocs) {
        if (sd.doc >= rows.size()) {
          throw mismatch(sd.doc, rows);
        }
        float[] row = rows.vector(sd.doc);
        hits.add(new Hit(rows.id(sd.doc), DenseMath.dot(query, row, 0, row.length), null));
        docOf.put(rows.id(sd.doc), sd.doc);
      }
      hits.sort(Hit.ORDER);
      List<Hit> out = hits.size() <= k ? hits : new ArrayList<>(hits.subList(0, k));
      // Only the returned documents' stored ids are read: they must be their rows' ids.
      StoredFields fields = searcher.storedFields();
      for (Hit h : out) {
        int doc = docOf.get(h.docId());
        if (!h.docId().equals(fields.document(doc).get(ID))) {
          throw mismatch(doc, rows);
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot search HNSW shard " + dir, e);
    }
  }

  private IllegalStateException mismatch(int doc, DenseShard rows) {
    return new IllegalStateException("HNSW shard " + dir + ": document " + doc + " is not row "
        + doc + " of its dense shard (" + rows.size() + " rows); the graph was written in "
        + "another order or from other data: rebuild the index with `retrieval index "
        + "--retrievers bm25,e5 --dense-index hnsw`");
  }

  public int size() {
    return reader.numDocs();
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
