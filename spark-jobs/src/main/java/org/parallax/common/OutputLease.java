package org.parallax.common;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The exclusive right of one run to an output: an object {@code .<out>._lease} beside the output,
 * created only when absent, whose content ({@link LeaseRecord}) names the run and carries a
 * heartbeat that a daemon thread rewrites every {@link #HEARTBEAT} while the holder lives. A run
 * that finds the lease held waits up to its {@code --wait-for-output}, then fails with
 * {@link OutputBusyException}. A lease whose heartbeat is older than {@link #EXPIRY}, or whose
 * holder ran on this host and is gone, is taken over: one taker per expired heartbeat wins an
 * exclusive marker {@code .<out>._lease-taken-<run>}, deletes the lease only if it still holds
 * that heartbeat, and deletes the marker once it holds the lease. {@link #close()} deletes the lease if it is still this run's.
 *
 * <p>Exclusive creation is atomic on the local file system (a hard link of a complete file), on
 * HDFS and on object stores with conditional writes; where a store checks then writes, the
 * holder reads its lease back after creating it and at every heartbeat, and {@link #check()}
 * fails a run that lost it. Ages compare heartbeats with this host's clock.
 */
public final class OutputLease implements AutoCloseable {
  /** Hadoop configuration key: a heartbeat older than this frees the lease (default 10 min). */
  public static final String EXPIRY = "parallax.lease.expiry";
  /** Hadoop configuration key: how often the holder rewrites its heartbeat (default 30 s). */
  public static final String HEARTBEAT = "parallax.lease.heartbeat";
  static final String LEASE = "._lease";
  static final String TAKEN = "._lease-taken-";
  private static final long POLL_MILLIS = 200;

  private final FileSystem fs;
  private final Path lease;
  private final String tookOver;
  private volatile LeaseRecord mine;
  private volatile String lost;
  private final Thread heart;
  private final CountDownLatch stop = new CountDownLatch(1);

  private OutputLease(FileSystem fs, Path lease, LeaseRecord mine, String tookOver,
      long beatMillis) {
    this.fs = fs;
    this.lease = lease;
    this.mine = mine;
    this.tookOver = tookOver;
    this.heart = new Thread(() -> beat(beatMillis), "parallax-lease " + lease.getName());
    heart.setDaemon(true);
    heart.start();
  }

  /**
   * Takes the lease of {@code target}, waiting up to {@code waitMillis} for its holder.
   *
   * @throws OutputBusyException naming the holder when it is still held after the wait
   */
  public static OutputLease acquire(FileSystem fs, Path target, Configuration conf,
      long waitMillis) {
    long expiry = conf.getTimeDuration(EXPIRY, TimeUnit.MINUTES.toMillis(10),
        TimeUnit.MILLISECONDS);
    long beat = conf.getTimeDuration(HEARTBEAT, Math.min(30_000, expiry / 4),
        TimeUnit.MILLISECONDS);
    Path lease = StagedOutput.sibling(target, LEASE);
    long deadline = System.currentTimeMillis() + Math.max(0, waitMillis);
    Path taken = null;
    String tookOver = null;
    try {
      fs.mkdirs(target.getParent());
      while (true) {
        LeaseRecord mine = LeaseRecord.mine(System.currentTimeMillis());
        if (createExclusive(fs, lease, mine.bytes()) && mine.sameBeat(read(fs, lease))) {
          if (taken != null) {
            // A later taker of the same expired lease now finds it gone, and backs off.
            fs.delete(taken, false);
          }
          return new OutputLease(fs, lease, mine, tookOver, beat);
        }
        LeaseRecord held = read(fs, lease);
        if (held == null && !fs.exists(lease)) {
          continue;
        }
        long now = System.currentTimeMillis();
        String why = held == null ? null : expired(held, now, expiry);
        if (why != null) {
          Path marker = StagedOutput.sibling(target, TAKEN + held.runId());
          if (takeOver(fs, lease, marker, held, mine, expiry)) {
            taken = marker;
            tookOver = "took over the lease of " + target + " from " + held.describe() + ": "
                + why;
            continue;
          }
        }
        if (now >= deadline) {
          throw busy(target, held, now, waitMillis);
        }
        Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, deadline - now)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take the lease of output " + target, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for output " + target, e);
    }
  }

  /** The id of the holding run; it names the run's staging directory. */
  public String runId() {
    return mine.runId();
  }

  /** How this run came to hold an expired lease, or null when it was free. */
  public String tookOver() {
    return tookOver;
  }

  /**
   * Fails when this run no longer holds the lease (it expired and another run took it over):
   * from then on this run must not touch the output.
   */
  public void check() {
    try {
      LeaseRecord now = read(fs, lease);
      if (lost == null && (now == null || !now.runId().equals(mine.runId()))) {
        lost = now == null ? "its lease " + lease + " is gone"
            : "its lease was taken over by " + now.describe();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lease " + lease, e);
    }
    if (lost != null) {
      throw new JobFailedException("this run no longer owns its output: " + lost
          + "; its heartbeat stopped for longer than " + EXPIRY + " (nothing was committed)");
    }
  }

  /** Stops the heartbeat and deletes the lease if it is still this run's. Idempotent. */
  @Override
  public void close() {
    stop.countDown();
    try {
      heart.join(10_000);
      LeaseRecord now = read(fs, lease);
      if (lost == null && now != null && now.runId().equals(mine.runId())) {
        fs.delete(lease, false);
      }
      lost = lost == null ? "released" : lost;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release the lease " + lease, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Rewrites the heartbeat until {@link #close()}, or until another run holds the lease. */
  private void beat(long beatMillis) {
    try {
      while (!stop.await(beatMillis, TimeUnit.MILLISECONDS) && lost == null) {
        try {
          LeaseRecord now = read(fs, lease);
          if (now == null || !now.runId().equals(mine.runId())) {
            lost = now == null ? "its lease " + lease + " is gone"
                : "its lease was taken over by " + now.describe();
            return;
          }
          LeaseRecord next = mine.beating(System.currentTimeMillis());
          replace(fs, lease, next.bytes());
          mine = next;
        } catch (IOException | RuntimeException missed) {
          // One missed beat is harmless; an expiry's worth of them lets another run take
          // over, which check() then reports.
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Why {@code held} may be taken over now, or null while its holder counts as alive. */
  static String expired(LeaseRecord held, long now, long expiryMillis) {
    if (new StagingOwner(held.pid(), held.host()).gone()) {
      return "its process " + held.pid() + " on this host is gone";
    }
    long age = now - held.heartbeat();
    if (age > expiryMillis) {
      return String.format("its heartbeat is %.1f s old, above %s %d ms", age / 1000.0, EXPIRY,
          expiryMillis);
    }
    return null;
  }

  private static OutputBusyException busy(Path target, LeaseRecord held, long now, long waited) {
    String who = held == null ? "another run (its lease is being written)"
        : held.describe() + ", heartbeat " + (now - held.heartbeat()) / 1000 + " s ago";
    return new OutputBusyException(String.format("output %s is being written by %s; waited %d s "
        + "(--wait-for-output); wait longer, or run again when it is done", target, who,
        waited / 1000));
  }

  /**
   * Deletes the expired lease {@code held} if this run wins its take-over marker, which holds
   * the taker's own record so that a taker that died half-way does not block the output forever.
   */
  private static boolean takeOver(FileSystem fs, Path lease, Path marker, LeaseRecord held,
      LeaseRecord taker, long expiry) throws IOException {
    if (!createExclusive(fs, marker, taker.bytes())) {
      LeaseRecord other = read(fs, marker);
      if (other != null && expired(other, System.currentTimeMillis(), expiry) != null) {
        fs.delete(marker, false);
      }
      return false;
    }
    if (held.sameBeat(read(fs, lease))) {
      fs.delete(lease, false);
      return true;
    }
    fs.delete(marker, false);
    return false;
  }

  /** The lease's content; null when absent, or when it is not a whole record yet. */
  static LeaseRecord read(FileSystem fs, Path lease) throws IOException {
    try (InputStream in = fs.open(lease)) {
      return LeaseRecord.parse(in.readAllBytes());
    } catch (FileNotFoundException gone) {
      return null;
    }
  }

  /** Creates {@code path} with {@code bytes} unless it exists; false when it exists. */
  static boolean createExclusive(FileSystem fs, Path path, byte[] bytes) throws IOException {
    if ("file".equals(fs.getScheme())) {
      java.nio.file.Path p = java.nio.file.Path.of(fs.makeQualified(path).toUri());
      java.nio.file.Path tmp = p.resolveSibling(p.getFileName() + "." + UUID.randomUUID());
      Files.write(tmp, bytes);
      try {
        Files.createLink(p, tmp);
        return true;
      } catch (FileAlreadyExistsException held) {
        return false;
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    try (OutputStream os = fs.create(path, false)) {
      os.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException held) {
      return false;
    }
  }

  private static void replace(FileSystem fs, Path path, byte[] bytes) throws IOException {
    if ("file".equals(fs.getScheme())) {
      java.nio.file.Path p = java.nio.file.Path.of(fs.makeQualified(path).toUri());
      java.nio.file.Path tmp = p.resolveSibling(p.getFileName() + "." + UUID.randomUUID());
      Files.write(tmp, bytes);
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (OutputStream os = fs.create(path, true)) {
      os.write(bytes);
    }
  }

  @Override
  public String toString() {
    return "lease " + lease + " of " + mine.describe() + " (heartbeat "
        + Instant.ofEpochMilli(mine.heartbeat()) + ")";
  }
}
