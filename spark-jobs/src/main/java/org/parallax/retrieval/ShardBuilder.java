package org.parallax.retrieval;

import org.parallax.common.LocalCopies;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.parallax.common.DirectoryChecksum;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileSystem;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;
import org.parallax.common.TableReader;
import org.parallax.retrieval.dense.DenseShard;
import org.parallax.retrieval.dense.DenseShardWriter;
import org.parallax.retrieval.dense.HnswShard;

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

  /**
   * Builds shard {@code shard} from its rows ({@link ShardExchange}: columns shard, id, contents
   * as UTF-8, bad, vector; sorted by id).
   */
  ShardBuildReport build(int shard, Iterator<InternalRow> rows) {
    long t0 = System.nanoTime();
    Path local = null;
    try (QuarantineSink duplicates = new QuarantineSink(duplicatesDir, shard, conf.value());
        QuarantineSink malformed = new QuarantineSink(malformedDir, shard, conf.value())) {
      local = Files.createTempDirectory(Path.of(localRoot == null
          ? LocalCopies.defaultLocalRoot() : localRoot), shardName(shard));
      Path bm25Dir = local.resolve("bm25");
      Path denseDir = local.resolve("dense");
      FirstPerId passages = new FirstPerId(rows, shard, duplicates, malformed);
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
   * Passes on, of the well-formed passages of each id (adjacent: the rows arrive sorted by id), the
   * one with the smallest contents in {@link String#compareTo} order; the others go to the
   * duplicates sink, smallest first. Malformed rows (a non-empty {@code bad}: reason codes, a
   * newline, the raw row as JSON) go to their sink. Fails on a row of another shard than the
   * task's ({@link ShardExchange}).
   */
  private static final class FirstPerId implements Iterator<ShardWriter.Utf8Passage> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<Candidate> SMALLEST_CONTENTS = (a, b) ->
        Arrays.equals(a.contents, b.contents) ? 0
            : new String(a.contents, StandardCharsets.UTF_8)
                .compareTo(new String(b.contents, StandardCharsets.UTF_8));
    private final Iterator<InternalRow> in;
    private final int shard;
    private final QuarantineSink duplicates;
    private final QuarantineSink malformed;
    private final List<Candidate> group = new ArrayList<>();
    /** The first well-formed row of the next id, read while looking for the end of a group. */
    private Candidate ahead;
    private Candidate next;
    private byte[] lastVector;
    long seen;

    /** A well-formed row: its id, contents (UTF-8) and embedding (null without). */
    private record Candidate(String id, byte[] contents, byte[] vector) {}

    FirstPerId(Iterator<InternalRow> in, int shard, QuarantineSink duplicates,
        QuarantineSink malformed) {
      this.in = in;
      this.shard = shard;
      this.duplicates = duplicates;
      this.malformed = malformed;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      Candidate first = ahead != null ? ahead : readGood();
      ahead = null;
      if (first == null) {
        return false;
      }
      Candidate c;
      while ((c = readGood()) != null && c.id.equals(first.id)) {
        if (group.isEmpty()) {
          group.add(first);
        }
        group.add(c);
      }
      ahead = c;
      if (group.isEmpty()) {
        next = first;
      } else {
        group.sort(SMALLEST_CONTENTS);
        next = group.get(0);
        for (Candidate d : group.subList(1, group.size())) {
          duplicates.add(duplicateJson(d.id, d.contents), "duplicate_id");
        }
        group.clear();
      }
      return true;
    }

    /** The next well-formed row, quarantining malformed ones on the way; null at the end. */
    private Candidate readGood() {
      while (in.hasNext()) {
        InternalRow row = in.next();
        seen++;
        if (row.getInt(0) != shard) {
          throw new IllegalStateException("a row of shard " + row.getInt(0)
              + " arrived at the build of shard " + shard);
        }
        UTF8String bad = row.getUTF8String(3);
        if (bad.numBytes() > 0) {
          String b = bad.toString();
          int nl = b.indexOf('\n');
          malformed.add(b.substring(nl + 1), b.substring(0, nl));
        } else {
          return new Candidate(row.getUTF8String(1).toString(), row.getBinary(2),
              row.isNullAt(4) ? null : row.getBinary(4));
        }
      }
      return null;
    }

    @Override
    public ShardWriter.Utf8Passage next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      Candidate c = next;
      next = null;
      lastVector = c.vector;
      return new ShardWriter.Utf8Passage(c.id, c.contents);
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

  private static String duplicateJson(String id, byte[] contents) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", id);
    row.put("contents", new String(contents, StandardCharsets.UTF_8));
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
