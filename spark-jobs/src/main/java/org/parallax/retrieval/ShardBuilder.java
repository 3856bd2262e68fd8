package org.parallax.retrieval;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.apache.hadoop.fs.FileSystem;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.TaskContext;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * The task that builds one shard: writes its passages (arriving in id order) to a Lucene index on
 * executor-local disk, copies it to the index's staging directory on the output file system
 * through a per-attempt directory renamed into place (a retried task never leaves a mix), and
 * reports the shard's size, checksum and collection statistics.
 */
final class ShardBuilder implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String stagingShards;
  private final SerializableConfiguration conf;
  private final AnalyzerConfig analyzer;
  private final Bm25Config bm25;
  private final double ramBufferMb;
  private final String localRoot;

  ShardBuilder(String stagingShards, SerializableConfiguration conf, AnalyzerConfig analyzer,
      Bm25Config bm25, double ramBufferMb, String localRoot) {
    this.stagingShards = stagingShards;
    this.conf = conf;
    this.analyzer = analyzer;
    this.bm25 = bm25;
    this.ramBufferMb = ramBufferMb;
    this.localRoot = localRoot;
  }

  static String shardName(int shard) {
    return String.format("shard-%05d", shard);
  }

  IndexManifest.Shard build(int shard, Iterator<Tuple2<ShardKey, String>> passages) {
    long t0 = System.nanoTime();
    Path local = null;
    try {
      local = Files.createTempDirectory(Path.of(localRoot == null
          ? ShardLocalizer.defaultLocalRoot() : localRoot), shardName(shard));
      long docs = ShardWriter.write(local, new Iterator<>() {
        @Override
        public boolean hasNext() {
          return passages.hasNext();
        }

        @Override
        public String[] next() {
          Tuple2<ShardKey, String> p = passages.next();
          return new String[] {p._1().id(), p._2()};
        }
      }, analyzer, bm25, ramBufferMb);
      long[] stats = collectionStats(local);
      long[] sizeAndCrc = sizeAndChecksum(local);
      publish(shard, local);
      return new IndexManifest.Shard(shard, "shards/" + shardName(shard), docs, sizeAndCrc[0],
          String.format("crc32:%08x", sizeAndCrc[1]), stats[0], stats[1], stats[2], stats[3],
          (System.nanoTime() - t0) / 1e9);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build shard " + shard, e);
    } finally {
      if (local != null) {
        deleteTree(local);
      }
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

  /** Total bytes and a CRC32 over the shard's files in name order. */
  private static long[] sizeAndChecksum(Path dir) throws IOException {
    CRC32 crc = new CRC32();
    long bytes = 0;
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    byte[] buf = new byte[1 << 16];
    for (Path f : files) {
      crc.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      try (InputStream in = Files.newInputStream(f)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          crc.update(buf, 0, n);
          bytes += n;
        }
      }
    }
    return new long[] {bytes, crc.getValue()};
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // Scratch space; the executor's local dirs are cleaned when it exits.
    }
  }
}
