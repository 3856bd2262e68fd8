package org.parallax.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parallax.retrieval.Hit;

/**
 * Anserini ({@code io.anserini:anserini:0.39.0:jar:fatjar}) as a separate process, the peer of
 * the BM25 benchmark: {@code IndexCollection} over a JsonCollection and {@code SearchCollection}
 * over {@code TsvString} topics, each a fresh JVM as its users run it, on the Java named by
 * {@value #JAVA} (Anserini needs Java 21+, run with {@code --add-modules jdk.incubator.vector}).
 * Each run is timed by wall clock and by the CPU time of the process
 * ({@link ProcessTiming#ofProcess}); its console output goes to a log file beside its output.
 */
public final class AnseriniPeer {
  /** Environment variable naming the fatjar. */
  public static final String JAR = "PARALLAX_ANSERINI_JAR";
  /** Environment variable naming the {@code java} (21+) that runs it. */
  public static final String JAVA = "PARALLAX_PEER_JAVA";
  public static final String VERSION = "0.39.0";
  /** Where {@code bench/peers/fetch-anserini} (Maven's local repository) puts the fatjar. */
  public static final String DEFAULT_JAR = "${sys:user.home}/.m2/repository/io/anserini/anserini/"
      + VERSION + "/anserini-" + VERSION + "-fatjar.jar";
  /** The Temurin 25 JDK the project's machines carry beside the default Java. */
  public static final String DEFAULT_JAVA = "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java";

  private final Path java;
  private final Path jar;

  AnseriniPeer(Path java, Path jar) {
    this.java = java;
    this.jar = jar;
  }

  /** Null when both are there, else one line saying which is missing and what to do. */
  public static String missing(Path java, Path jar) {
    if (jar == null || !Files.isRegularFile(jar)) {
      return "--anserini-jar " + jar + ": no such file; fetch Anserini " + VERSION
          + " with bench/peers/fetch-anserini (Maven Central, 200 MB) or name the fatjar with "
          + "--anserini-jar or $" + JAR;
    }
    if (java == null || !Files.isExecutable(java)) {
      return "--peer-java " + java + ": no such executable; Anserini needs Java 21 or newer: "
          + "name its bin/java with --peer-java or $" + JAVA;
    }
    return null;
  }

  /** {@code IndexCollection -threads N}, passages stored raw (what a Search-R1 server returns). */
  ProcessTiming index(Path jsonCollection, Path index, int threads) throws IOException,
      InterruptedException {
    RetrievalBench.deleteTree(index);
    return exec(index.resolveSibling(index.getFileName() + ".log"),
        "io.anserini.index.IndexCollection", "-collection", "JsonCollection",
        "-generator", "DefaultLuceneDocumentGenerator", "-input", jsonCollection.toString(),
        "-index", index.toString(), "-threads", Integer.toString(threads), "-storeRaw");
  }

  /** {@code SearchCollection -bm25 -hits K -threads N}: BM25 (0.9, 0.4), a TREC run file. */
  ProcessTiming search(Path index, Path topics, Path run, int k, int threads) throws IOException,
      InterruptedException {
    Files.deleteIfExists(run);
    return exec(run.resolveSibling(run.getFileName() + ".log"),
        "io.anserini.search.SearchCollection", "-index", index.toString(),
        "-topics", topics.toString(), "-topicReader", "TsvString", "-output", run.toString(),
        "-bm25", "-hits", Integer.toString(k), "-threads", Integer.toString(threads));
  }

  /** Each query's hits (ids and scores, no contents) of a TREC run file, in rank order. */
  static Map<String, List<Hit>> readRun(Path run) throws IOException {
    Map<String, List<Hit>> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(run)) {
      String line;
      while ((line = r.readLine()) != null) {
        String[] f = line.split(" ");
        out.computeIfAbsent(f[0], q -> new ArrayList<>(10))
            .add(new Hit(f[2], Float.parseFloat(f[4]), null));
      }
    }
    return out;
  }

  /** Runs {@code java --add-modules jdk.incubator.vector -cp JAR MAIN ARGS}, timed. */
  private ProcessTiming exec(Path log, String main, String... args) throws IOException,
      InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(java.toString(), "--add-modules",
        "jdk.incubator.vector", "-cp", jar.toString(), main));
    cmd.addAll(List.of(args));
    return ProcessTiming.ofProcess(log, cmd, Map.of());
  }
}
