package org.parallax.retrieval.dense;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
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
 * length, so this is cosine and ranks as the inner product) with the passage ids stored.
 * {@link #search} returns the graph's top k with the raw inner product as score (Lucene reports
 * {@code (1 + dot) / 2}), so its results compare with exact search. Thread-safe; owns its reader.
 */
public final class HnswShard implements Closeable {
  static final String VECTOR = "vector";
  static final String ID = "id";
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  public HnswShard(Path dir) {
    try {
      this.reader = DirectoryReader.open(FSDirectory.open(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open HNSW shard " + dir, e);
    }
    this.searcher = new IndexSearcher(reader);
  }

  /** Writes the HNSW index of dense shard {@code dense} to {@code dir}, merged to one segment. */
  public static void write(DenseShard dense, Path dir) {
    IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(256)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE).setUseCompoundFile(false);
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

  /** The approximate top {@code k} passages for unit vector {@code query}, best first. */
  public List<Hit> search(float[] query, int k) {
    try {
      TopDocs top = searcher.search(new KnnFloatVectorQuery(VECTOR, query, k), k);
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      var fields = searcher.storedFields();
      for (ScoreDoc sd : top.scoreDocs) {
        hits.add(new Hit(fields.document(sd.doc).get(ID), 2 * sd.score - 1, null));
      }
      hits.sort(Hit.ORDER);
      return hits;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
