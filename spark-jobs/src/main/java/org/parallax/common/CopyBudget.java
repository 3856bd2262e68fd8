package org.parallax.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The byte budget of a directory of {@link LocalCopies}: each copy {@code <root>/<name>} has a
 * lock file {@code <root>/.<name>.lock} on which every JVM using the copy holds a shared lock
 * (released when the JVM moves on to a newer copy of the same source, or exits, also by a kill),
 * and whose modification time is the copy's last use. {@link #evict()} deletes the least recently
 * used copies that no JVM holds, under an exclusive lock, until the copies fit the budget; held
 * copies are never deleted, so the budget can be exceeded by what running JVMs hold.
 */
final class CopyBudget {
  private static final Map<Path, FileLock> HELD = new ConcurrentHashMap<>();

  private final Path root;
  private final long maxBytes;

  CopyBudget(Path root, long maxBytes) {
    this.root = root;
    this.maxBytes = maxBytes;
  }

  /**
   * Holds {@code copy} for this JVM and marks it used now.
   *
   * @return false when the copy is not (or no longer) there
   */
  boolean hold(Path copy) throws IOException {
    if (!HELD.containsKey(copy)) {
      FileChannel ch = FileChannel.open(lockFile(copy), StandardOpenOption.CREATE,
          StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.lock(0, Long.MAX_VALUE, true);
      } catch (OverlappingFileLockException heldHere) {
        ch.close();
        return Files.isDirectory(copy);
      }
      if (!Files.isDirectory(copy) || HELD.putIfAbsent(copy, lock) != null) {
        ch.close();
        return Files.isDirectory(copy);
      }
    }
    Files.setLastModifiedTime(lockFile(copy), FileTime.fromMillis(System.currentTimeMillis()));
    return Files.isDirectory(copy);
  }

  /** Lets other JVMs evict {@code copy}: this one no longer uses it. */
  static void release(Path copy) {
    FileLock lock = HELD.remove(copy);
    if (lock != null) {
      try {
        lock.channel().close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot release " + copy, e);
      }
    }
  }

  /** Deletes least recently used copies no JVM holds until the copies fit the budget. */
  void evict() throws IOException {
    List<Path> copies = new ArrayList<>();
    try (Stream<Path> s = Files.list(root)) {
      s.filter(p -> !p.getFileName().toString().startsWith(".") && Files.isDirectory(p))
          .forEach(copies::add);
    }
    long total = 0;
    Map<Path, Long> sizes = new HashMap<>();
    for (Path c : copies) {
      sizes.put(c, bytes(c));
      total += sizes.get(c);
    }
    copies.sort(Comparator.comparingLong(this::lastUsed));
    for (Path c : copies) {
      if (total <= maxBytes) {
        return;
      }
      if (deleteUnlessHeld(c)) {
        total -= sizes.get(c);
      }
    }
  }

  private boolean deleteUnlessHeld(Path copy) throws IOException {
    if (HELD.containsKey(copy)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(lockFile(copy), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock lock = ch.tryLock(0, Long.MAX_VALUE, false);
      if (lock == null) {
        return false;
      }
      LocalCopies.deleteTree(copy);
      return true;
    } catch (OverlappingFileLockException heldHere) {
      return false;
    }
  }

  private long lastUsed(Path copy) {
    try {
      return Files.getLastModifiedTime(lockFile(copy)).toMillis();
    } catch (IOException never) {
      return 0;
    }
  }

  private static long bytes(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static Path lockFile(Path copy) {
    return copy.resolveSibling("." + copy.getFileName() + ".lock");
  }
}
