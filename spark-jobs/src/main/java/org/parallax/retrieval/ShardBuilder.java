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
import scala.Tuple2;

/**
 * The task that builds one shard: writes its passages (arriving in id order; of passages sharing
 * an id the one with the smallest contents, the others quarantined) to a Lucene index on
 * executor-local disk, copies it to the index's staging directory on the output file system
 * through a per-attempt directory renamed into place (a retried task never leaves a mix), and
 * reports the shard's size, checksum and collection statistics.
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

  static String shardName(int shard) {
    return String.format("shard-%05d", shard);
  }

  ShardBuildReport build(int shard, Iterator<Tuple2<ShardKey, String>> rows) {
    long t0 = System.nanoTime();
    Path local = null;
    try (QuarantineSink duplicates = new QuarantineSink(duplicatesDir, shard, conf.value());
        QuarantineSink malformed = new QuarantineSink(malformedDir, shard, conf.value())) {
      local = Files.createTempDirectory(Path.of(localRoot == null
          ? LocalCopies.defaultLocalRoot() : localRoot), shardName(shard));
      FirstPerId passages = new FirstPerId(rows, duplicates, malformed);
      long docs = ShardWriter.write(local, passages, analyzer, bm25, ramBufferMb);
      long[] stats = collectionStats(local);
      DirectoryChecksum content = DirectoryChecksum.of(local);
      publish(shard, local);
      IndexManifest.Shard built = new IndexManifest.Shard(shard, "shards/" + shardName(shard),
          docs, content.bytes(), content.checksum(), stats[0], stats[1],
          stats[2], stats[3], (System.nanoTime() - t0) / 1e9);
      return new ShardBuildReport(built, passages.seen, malformed.count(), malformed.reasons(),
          duplicates.count());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build shard " + shard, e);
    } finally {
      if (local != null) {
        deleteTree(local);
      }
    }
  }

  /**
   * Passes on the first well-formed passage of each id (the smallest contents). Malformed rows
   * (a non-empty value: reason codes, a newline, the raw row as JSON) and later passages of an id
   * go to their sinks.
   */
  private static final class FirstPerId implements Iterator<String[]> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Iterator<Tuple2<ShardKey, String>> in;
    private final QuarantineSink duplicates;
    private final QuarantineSink malformed;
    private ShardKey next;
    private String lastId;
    long seen;

    FirstPerId(Iterator<Tuple2<ShardKey, String>> in, QuarantineSink duplicates,
        QuarantineSink malformed) {
      this.in = in;
      this.duplicates = duplicates;
      this.malformed = malformed;
    }

    @Override
    public boolean hasNext() {
      while (next == null && in.hasNext()) {
        Tuple2<ShardKey, String> row = in.next();
        ShardKey k = row._1();
        seen++;
        if (!row._2().isEmpty()) {
          int nl = row._2().indexOf('\n');
          malformed.add(row._2().substring(nl + 1), row._2().substring(0, nl));
        } else if (k.id().equals(lastId)) {
          duplicates.add(duplicateJson(k), "duplicate_id");
        } else {
          lastId = k.id();
          next = k;
        }
      }
      return next != null;
    }

    @Override
    public String[] next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      ShardKey k = next;
      next = null;
      return new String[] {k.id(), k.contents()};
    }
  }

  private static String duplicateJson(ShardKey k) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put("id", k.id());
    row.put("contents", k.contents());
    row.put(TableReader.REASON, "duplicate id (the passage with the smallest contents kept)");
    try {
      return FirstPerId.JSON.writeValueAsString(row);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void publish(int shard, Path local) throws IOException {
    org.apache.hadoop.fs.Path dest = new org.apache.hadoop.fs.Path(stagingShards, shardName(shard));
    FileSystem fs = dest.getFileSystem(conf.value());
    TaskContext task = TaskContext.get();
    org.apache.hadoop.fs.Path attempt = new org.apache.hadoop.fs.Path(stagingShards,
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
