package org.parallax.retrieval;

import org.parallax.common.LocalCopies;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.parallax.common.DirectoryChecksum;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileSystem;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.TaskContext;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.TableReader;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.retrieval.dense.DenseShardWriter;
import org.parallax.retrieval.dense.HnswShard;
import scala.Tuple2;

/**
 * The task that builds one shard: writes its passages (arriving in id order; of passages sharing
 * an id the one with the smallest contents, the others quarantined) to a Lucene index on
 * executor-local disk, copies it to the index's staging directory on the output file system
 * through a per-attempt directory renamed into place (a retried task never leaves a mix), and
 * reports the shard's size, checksum and collection statistics. With a dimension
 * ({@link #withDense}) the same pass appends each indexed passage's embedding (carried through
 * the shuffle beside it) to a dense shard, in the same id order, published under {@code dense/}
 * (and its HNSW index under {@code hnsw/}).
 */
final class ShardBuilder implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String stagingShards;
  private final String duplicatesDir;
  private final String malformedDir;
  private final SerializableConfiguration conf;
  private final AnalyzerConfig analyzer;
  private final Bm25Config bm25;
  private final double ramBufferMb;
  private final String localRoot;
  private int dimension;
  private boolean hnsw;
  private String stagingIndex;

  ShardBuilder(String stagingShards, String duplicatesDir, String malformedDir,
      SerializableConfiguration conf, AnalyzerConfig analyzer, Bm25Config bm25, double ramBufferMb,
      String localRoot) {
    this.stagingShards = stagingShards;
    this.duplicatesDir = duplicatesDir;
    this.malformedDir = malformedDir;
    this.conf = conf;
    this.analyzer = analyzer;
    this.bm25 = bm25;
    this.ramBufferMb = ramBufferMb;
    this.localRoot = localRoot;
  }

  /**
   * Also writes a dense shard of {@code dimension} floats per passage (under {@code dense/} of
   * the index at {@code stagingIndex}), and its HNSW index (under {@code hnsw/}) when
   * {@code hnsw}.
   */
  ShardBuilder withDense(String stagingIndex, int dimension, boolean hnsw) {
    this.stagingIndex = stagingIndex;
    this.dimension = dimension;
    this.hnsw = hnsw;
    return this;
  }

  static String shardName(int shard) {
    return String.format("shard-%05d", shard);
  }

  ShardBuildReport build(int shard, Iterator<Tuple2<ShardKey, Tuple2<String, byte[]>>> rows) {
    long t0 = System.nanoTime();
    Path local = null;
    try (QuarantineSink duplicates = new QuarantineSink(duplicatesDir, shard, conf.value());
        QuarantineSink malformed = new QuarantineSink(malformedDir, shard, conf.value())) {
      local = Files.createTempDirectory(Path.of(localRoot == null
          ? LocalCopies.defaultLocalRoot() : localRoot), shardName(shard));
      Path bm25Dir = local.resolve("bm25");
      Path denseDir = local.resolve("dense");
      FirstPerId passages = new FirstPerId(rows, duplicates, malformed);
      long docs;
      if (dimension > 0) {
        try (DenseShardWriter dense = new DenseShardWriter(denseDir, dimension)) {
          docs = ShardWriter.writeUtf8(bm25Dir, passages.teeVectors(dense), analyzer, bm25,
              ramBufferMb);
        }
      } else {
        docs = ShardWriter.writeUtf8(bm25Dir, passages, analyzer, bm25, ramBufferMb);
      }
      long[] stats = collectionStats(bm25Dir);
      DirectoryChecksum content = DirectoryChecksum.of(bm25Dir);
      publish(stagingShards, shard, bm25Dir);
      IndexManifest.Shard built = new IndexManifest.Shard(shard, "shards/" + shardName(shard),
          docs, content.bytes(), content.checksum(), stats[0], stats[1],
          stats[2], stats[3], (System.nanoTime() - t0) / 1e9);
      IndexManifest.DenseShard dense = dimension > 0 ? publishDense(shard, denseDir,
          local.resolve("hnsw"), docs) : null;
      return new ShardBuildReport(built, passages.seen, malformed.count(), malformed.reasons(),
          duplicates.count(), dense);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build shard " + shard, e);
    } finally {
      if (local != null) {
        deleteTree(local);
      }
    }
  }

  /** Publishes the dense shard (and builds and publishes its HNSW index when asked). */
  private IndexManifest.DenseShard publishDense(int shard, Path denseDir, Path hnswDir, long docs)
      throws IOException {
    DirectoryChecksum dense = DirectoryChecksum.of(denseDir);
    String hnswPath = null;
    String hnswChecksum = null;
    if (hnsw) {
      try (DenseShard d = new DenseShard(denseDir, dimension)) {
        HnswShard.write(d, hnswDir);
      }
      hnswChecksum = DirectoryChecksum.of(hnswDir).checksum();
      publish(new org.apache.hadoop.fs.Path(stagingIndex, "hnsw").toString(), shard, hnswDir);
      hnswPath = "hnsw/" + shardName(shard);
    }
    publish(new org.apache.hadoop.fs.Path(stagingIndex, "dense").toString(), shard, denseDir);
    return new IndexManifest.DenseShard(shard, "dense/" + shardName(shard), docs, dense.bytes(),
        dense.checksum(), hnswPath, hnswChecksum);
  }

  /**
   * Passes on the first well-formed passage of each id (the smallest contents). Malformed rows
   * (a non-empty value: reason codes, a newline, the raw row as JSON) and later passages of an id
   * go to their sinks.
   */
  private static final class FirstPerId implements Iterator<ShardWriter.Utf8Passage> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Iterator<Tuple2<ShardKey, Tuple2<String, byte[]>>> in;
    private final QuarantineSink duplicates;
    private final QuarantineSink malformed;
    private ShardKey next;
    private byte[] nextVector;
    private byte[] lastVector;
    private String lastId;
    long seen;

    FirstPerId(Iterator<Tuple2<ShardKey, Tuple2<String, byte[]>>> in, QuarantineSink duplicates,
        QuarantineSink malformed) {
      this.in = in;
      this.duplicates = duplicates;
      this.malformed = malformed;
    }

    @Override
    public boolean hasNext() {
      while (next == null && in.hasNext()) {
        Tuple2<ShardKey, Tuple2<String, byte[]>> row = in.next();
        ShardKey k = row._1();
        String bad = row._2()._1();
        seen++;
        if (!bad.isEmpty()) {
          int nl = bad.indexOf('\n');
          malformed.add(bad.substring(nl + 1), bad.substring(0, nl));
        } else if (k.id().equals(lastId)) {
          duplicates.add(duplicateJson(k), "duplicate_id");
        } else {
          lastId = k.id();
          next = k;
          nextVector = row._2()._2();
        }
      }
      return next != null;
    }

    @Override
    public ShardWriter.Utf8Passage next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      ShardKey k = next;
      next = null;
      lastVector = nextVector;
      return new ShardWriter.Utf8Passage(k.id(), k.contents());
    }

    /** These passages, each also appended with its embedding to {@code dense} as it passes. */
    Iterator<ShardWriter.Utf8Passage> teeVectors(DenseShardWriter dense) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return FirstPerId.this.hasNext();
        }

        @Override
        public ShardWriter.Utf8Passage next() {
          ShardWriter.Utf8Passage p = FirstPerId.this.next();
          if (lastVector == null) {
            throw new IllegalStateException("passage " + p.id() + " arrived without embedding");
          }
          dense.add(p.id(), VectorBytes.floats(lastVector));
          return p;
        }
      };
    }
  }

  private static String duplicateJson(ShardKey k) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", k.id());
    row.put("contents", new String(k.contents(), java.nio.charset.StandardCharsets.UTF_8));
    row.put(TableReader.REASON, "duplicate id (the passage with the smallest contents kept)");
    try {
      return FirstPerId.JSON.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(String root, int shard, Path local) throws IOException {
    org.apache.hadoop.fs.Path dest = new org.apache.hadoop.fs.Path(root, shardName(shard));
    FileSystem fs = dest.getFileSystem(conf.value());
    TaskContext task = TaskContext.get();
    org.apache.hadoop.fs.Path attempt = new org.apache.hadoop.fs.Path(root,
        "." + shardName(shard) + "-attempt-" + (task == null ? 0 : task.taskAttemptId()));
    fs.delete(attempt, true);
    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), attempt);
    fs.delete(dest, true);
    if (!fs.rename(attempt, dest)) {
      throw new IOException("cannot rename " + attempt + " to " + dest);
    }
  }

  private static long[] collectionStats(Path dir) throws IOException {
    try (DirectoryReader r = DirectoryReader.open(FSDirectory.open(dir))) {
      String f = PassageFields.CONTENTS;
      return new long[] {r.maxDoc(), r.getDocCount(f), r.getSumTotalTermFreq(f),
          r.getSumDocFreq(f)};
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Scratch space; the executor's local dirs are cleaned when it exits.
    }
  }
}
