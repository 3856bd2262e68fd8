package org.parallax.common;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * A Hadoop file system with S3's semantics, for tests ({@code s3sim://bucket/key}): a flat store
 * of objects (one local file per object under {@value #ROOT}, shared by every process that
 * names the same root), no directories (a "directory" is a key prefix, or a marker object
 * {@code key/} written by {@code mkdirs}, and reports modification time 0), objects that become
 * visible whole when their writer closes them ({@code create} without overwrite is a conditional
 * put: it fails if the key exists at completion), and rename = copy each object in listing order,
 * then delete each source object, moving a source into a destination directory that exists.
 * {@value #LAG} (milliseconds, default 0) hides objects younger than it from listings.
 */
public final class S3SimFileSystem extends FileSystem {
  /** Configuration key: the local directory holding the objects of every bucket. */
  public static final String ROOT = "fs.s3sim.root";
  /** Configuration key: objects younger than this many milliseconds are not listed. */
  public static final String LAG = "fs.s3sim.listing-lag-ms";

  private URI uri;
  private java.nio.file.Path objects;
  private java.nio.file.Path uploads;
  private long lagMillis;

  /** A configuration that maps {@code s3sim://} onto objects under {@code root}. */
  public static Configuration configure(Configuration conf, java.nio.file.Path root) {
    conf.set("fs.s3sim.impl", S3SimFileSystem.class.getName());
    conf.setBoolean("fs.s3sim.impl.disable.cache", true);
    conf.set(ROOT, root.toString());
    return conf;
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    uri = URI.create("s3sim://" + name.getAuthority());
    java.nio.file.Path root = java.nio.file.Path.of(conf.get(ROOT));
    objects = Files.createDirectories(root.resolve("buckets").resolve(name.getAuthority()));
    uploads = Files.createDirectories(root.resolve("uploads"));
    lagMillis = conf.getLong(LAG, 0);
  }

  @Override
  public String getScheme() {
    return "s3sim";
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public Path getWorkingDirectory() {
    return new Path(uri.toString() + "/");
  }

  @Override
  public void setWorkingDirectory(Path dir) {
    throw new UnsupportedOperationException("s3sim has no working directory");
  }

  private String key(Path p) {
    String k = makeQualified(p).toUri().getPath();
    return k.startsWith("/") ? k.substring(1) : k;
  }

  private Path path(String key) {
    return new Path(uri.toString() + "/" + key);
  }

  private java.nio.file.Path file(String key) {
    String name = URLEncoder.encode(key, StandardCharsets.UTF_8);
    if (name.length() > 240) {
      throw new IllegalArgumentException("s3sim key too long for a local file name: " + key);
    }
    return objects.resolve(name);
  }

  /** Every object key with its size and modification time, in listing (key) order. */
  private TreeMap<String, long[]> keys(String prefix, boolean lagged) throws IOException {
    TreeMap<String, long[]> found = new TreeMap<>();
    long visible = System.currentTimeMillis() - (lagged ? lagMillis : 0);
    try (Stream<java.nio.file.Path> s = Files.list(objects)) {
      for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) s::iterator) {
        String k = URLDecoder.decode(f.getFileName().toString(), StandardCharsets.UTF_8);
        if (!k.startsWith(prefix)) {
          continue;
        }
        try {
          long mtime = Files.getLastModifiedTime(f).toMillis();
          if (mtime <= visible) {
            found.put(k, new long[] {Files.size(f), mtime});
          }
        } catch (NoSuchFileException deleted) {
          // Deleted while listed.
        }
      }
    }
    return found;
  }

  @Override
  public FileStatus getFileStatus(Path p) throws IOException {
    String k = key(p);
    if (k.isEmpty()) {
      return new FileStatus(0, true, 1, 0, 0, path(""));
    }
    java.nio.file.Path f = file(k);
    try {
      return new FileStatus(Files.size(f), false, 1, 1 << 20,
          Files.getLastModifiedTime(f).toMillis(), path(k));
    } catch (NoSuchFileException notAnObject) {
      if (!keys(k + "/", false).isEmpty()) {
        return new FileStatus(0, true, 1, 0, 0, path(k));
      }
      throw new FileNotFoundException("s3sim: no object or prefix " + p);
    }
  }

  @Override
  public FileStatus[] listStatus(Path p) throws IOException {
    FileStatus st = getFileStatus(p);
    if (!st.isDirectory()) {
      return new FileStatus[] {st};
    }
    String k = key(p);
    String prefix = k.isEmpty() ? "" : k + "/";
    Map<String, FileStatus> children = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : keys(prefix, true).entrySet()) {
      String rest = e.getKey().substring(prefix.length());
      if (rest.isEmpty()) {
        continue;
      }
      int slash = rest.indexOf('/');
      if (slash >= 0) {
        String child = prefix + rest.substring(0, slash);
        children.putIfAbsent(child, new FileStatus(0, true, 1, 0, 0, path(child)));
      } else {
        children.put(e.getKey(), new FileStatus(e.getValue()[0], false, 1, 1 << 20,
            e.getValue()[1], path(e.getKey())));
      }
    }
    return children.values().toArray(FileStatus[]::new);
  }

  @Override
  public FSDataInputStream open(Path p, int bufferSize) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file(key(p)));
    } catch (NoSuchFileException e) {
      throw new FileNotFoundException("s3sim: no object " + p);
    }
    return new FSDataInputStream(new SeekableBytes(bytes));
  }

  @Override
  public FSDataOutputStream create(Path p, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    String k = key(p);
    if (!keys(k + "/", false).isEmpty()) {
      throw new FileAlreadyExistsException("s3sim: " + p + " is a prefix");
    }
    if (!overwrite && Files.exists(file(k))) {
      throw new FileAlreadyExistsException("s3sim: " + p + " exists");
    }
    OutputStream upload = new ByteArrayOutputStream() {
      private boolean closed;

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          put(k, toByteArray(), overwrite);
        }
      }
    };
    return new FSDataOutputStream(upload, statistics);
  }

  /** Makes an object visible whole; without overwrite, only if the key is absent. */
  private void put(String k, byte[] bytes, boolean overwrite) throws IOException {
    java.nio.file.Path tmp = uploads.resolve(UUID.randomUUID().toString());
    Files.write(tmp, bytes);
    try {
      if (overwrite) {
        Files.move(tmp, file(k), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.createLink(file(k), tmp);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new FileAlreadyExistsException("s3sim: " + k + " exists (conditional put failed)");
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public FSDataOutputStream append(Path p, int bufferSize, Progressable progress) {
    throw new UnsupportedOperationException("s3sim objects cannot be appended to");
  }

  @Override
  public boolean mkdirs(Path p, FsPermission permission) throws IOException {
    String k = key(p);
    if (k.isEmpty() || getStatusOrNull(p) != null) {
      if (Files.exists(file(k))) {
        throw new FileAlreadyExistsException("s3sim: " + p + " is an object");
      }
      return true;
    }
    put(k + "/", new byte[0], true);
    return true;
  }

  private FileStatus getStatusOrNull(Path p) throws IOException {
    try {
      return getFileStatus(p);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  @Override
  public boolean delete(Path p, boolean recursive) throws IOException {
    String k = key(p);
    boolean deleted = Files.deleteIfExists(file(k));
    TreeMap<String, long[]> under = keys(k + "/", false);
    if (!recursive && under.keySet().stream().anyMatch(c -> !c.equals(k + "/"))) {
      throw new PathIsNotEmptyDirectoryException(p.toString());
    }
    for (String c : under.keySet()) {
      deleted |= Files.deleteIfExists(file(c));
    }
    return deleted;
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    FileStatus from = getStatusOrNull(src);
    if (from == null || key(src).isEmpty()) {
      return false;
    }
    FileStatus to = getStatusOrNull(dst);
    String target = key(dst);
    if (to != null && !to.isDirectory()) {
      return false;
    }
    if (to != null) {
      // Like every Hadoop file system: a destination directory receives the source inside it.
      target = target + "/" + src.getName();
      if (getStatusOrNull(path(target)) != null) {
        return false;
      }
    }
    String source = key(src);
    List<String> copied = new ArrayList<>();
    if (!from.isDirectory()) {
      copy(source, target);
      copied.add(source);
    } else {
      for (String k : keys(source + "/", false).keySet()) {
        copy(k, target + k.substring(source.length()));
        copied.add(k);
      }
    }
    for (String k : copied) {
      Files.deleteIfExists(file(k));
    }
    return true;
  }

  private void copy(String from, String to) throws IOException {
    ObjectCopies.beforeCopy(from, to);
    put(to, Files.readAllBytes(file(from)), true);
  }
}
