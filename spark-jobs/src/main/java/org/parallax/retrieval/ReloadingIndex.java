package org.parallax.retrieval;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.parallax.common.JobRunner;
import org.parallax.common.StagedOutput;

/**
 * The index {@code retrieval serve} answers from, following rebuilds of its path: {@link #reload()}
 * (run every {@code checkSeconds} by a daemon thread, and by {@code POST /reload}) reads the
 * index's {@code manifest.json}; when the index is marked complete ({@code _SUCCESS}) and its
 * manifest differs from the one being served, it opens the new index (copies verified against
 * the new manifest's checksums) and, if the manifest and {@code _SUCCESS} are still there and
 * unchanged afterwards, makes it the one every new search uses. A search runs entirely on one
 * index, old or new, never a mix; the old index is closed once its last search has finished. An
 * index that is being rebuilt, or that fails to open, leaves the served one in place
 * ({@link #lastError()}). Thread-safe.
 */
public final class ReloadingIndex implements Retriever {
  private final String index;
  private final Configuration conf;
  private final String localDir;
  private final RetrieverChoice choice;
  private final ScheduledExecutorService checker;
  private volatile Generation current;
  private volatile String lastError;
  private volatile int reloads;

  /** One opened index, closed when replaced and no search holds it. */
  private static final class Generation {
    final OpenedIndex opened;
    final String identity;
    final AtomicInteger users = new AtomicInteger(1);

    Generation(OpenedIndex opened, String identity) {
      this.opened = opened;
      this.identity = identity;
    }

    boolean enter() {
      int n;
      do {
        n = users.get();
        if (n == 0) {
          return false;
        }
      } while (!users.compareAndSet(n, n + 1));
      return true;
    }

    void leave() {
      if (users.decrementAndGet() == 0) {
        try {
          opened.close();
        } catch (IOException ignored) {
          // Closing releases files; a failure leaves nothing to undo.
        }
      }
    }
  }

  private ReloadingIndex(String index, Configuration conf, String localDir,
      RetrieverChoice choice, double checkSeconds) {
    this.index = index;
    this.conf = conf;
    this.localDir = localDir;
    this.choice = choice;
    String identity = identity();
    this.current = new Generation(OpenedIndex.open(index, conf, localDir, choice),
        identity == null ? "" : identity);
    this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parallax-index-reload");
      t.setDaemon(true);
      return t;
    });
    if (checkSeconds > 0) {
      long millis = Math.max(1, Math.round(checkSeconds * 1000));
      checker.scheduleWithFixedDelay(this::reloadQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Opens {@code index} for {@code choice}, checking for a rebuilt index every
   * {@code checkSeconds} (0: only on {@link #reload()}).
   */
  public static ReloadingIndex open(String index, Configuration conf, String localDir,
      RetrieverChoice choice, double checkSeconds) {
    if (checkSeconds < 0) {
      throw new IllegalArgumentException("--reload-check-s must be 0 (never) or more, got "
          + checkSeconds);
    }
    return new ReloadingIndex(index, conf, localDir, choice, checkSeconds);
  }

  /**
   * Serves the index now at the path if it is complete and differs from the one served.
   *
   * @return whether the served index changed
   */
  public synchronized boolean reload() {
    String identity = identity();
    if (identity == null || identity.equals(current.identity)) {
      return false;
    }
    OpenedIndex next = OpenedIndex.open(index, conf, localDir, choice);
    if (!identity.equals(identity())) {
      // Rebuilt again while it was opened: the next check takes the newer one.
      closeQuietly(next);
      return false;
    }
    Generation old = current;
    current = new Generation(next, identity);
    reloads++;
    lastError = null;
    old.leave();
    return true;
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (RuntimeException e) {
      lastError = JobRunner.oneLine(e);
    }
  }

  /** The CRC-32 of the manifest served, as {@code crc32:xxxxxxxx}. */
  public String servedManifest() {
    return current.identity;
  }

  /** How many times a rebuilt index replaced the served one (never waits for a reload). */
  public int reloads() {
    return reloads;
  }

  /** Why the last check did not serve a rebuilt index, or null. */
  public String lastError() {
    return lastError;
  }

  /** The manifest's checksum when the index is marked complete, else null. */
  private String identity() {
    try {
      Path dir = new Path(index);
      FileSystem fs = dir.getFileSystem(conf);
      if (!fs.exists(new Path(dir, StagedOutput.SUCCESS))) {
        return null;
      }
      CRC32 crc = new CRC32();
      try (InputStream in = fs.open(new Path(dir, IndexManifest.FILE))) {
        crc.update(in.readAllBytes());
      }
      return String.format("crc32:%08x", crc.getValue());
    } catch (FileNotFoundException beingRebuilt) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of index " + index, e);
    }
  }

  private <T> T onCurrent(Function<OpenedIndex, T> search) {
    while (true) {
      Generation g = current;
      if (g.enter()) {
        try {
          return search.apply(g.opened);
        } finally {
          g.leave();
        }
      }
    }
  }

  @Override
  public List<List<Hit>> searchAll(List<String> queries, int k) {
    return onCurrent(i -> i.searchAll(queries, k));
  }

  @Override
  public ShardedIndex.Result query(String query, int k) {
    return onCurrent(i -> i.query(query, k));
  }

  @Override
  public List<ShardedIndex.Result> queryAll(List<String> queries, int k) {
    return onCurrent(i -> i.queryAll(queries, k));
  }

  @Override
  public long numDocs() {
    return onCurrent(OpenedIndex::numDocs);
  }

  @Override
  public int numShards() {
    return onCurrent(OpenedIndex::numShards);
  }

  @Override
  public String name() {
    return choice.name();
  }

  private static void closeQuietly(OpenedIndex opened) {
    try {
      opened.close();
    } catch (IOException ignored) {
      // Never served: nothing depends on it.
    }
  }

  /** Stops checking and closes the served index once its searches have finished. */
  @Override
  public synchronized void close() {
    checker.shutdownNow();
    current.leave();
  }
}
