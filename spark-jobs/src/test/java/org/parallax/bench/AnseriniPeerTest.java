package org.parallax.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parallax.retrieval.Hit;

/**
 * The Anserini peer's pieces that need no Anserini: the one-line message for a missing jar or
 * Java, the CPU time read from {@code bash}'s {@code times}, the run-file reader, and the
 * agreement of two top-k lists ({@link RankingAgreement}).
 */
class AnseriniPeerTest {
  @TempDir Path dir;

  @Test
  void namesWhatIsMissingAndWhatToDo() throws Exception {
    Path jar = Files.createFile(dir.resolve("anserini.jar"));
    Path java = Files.createFile(dir.resolve("java"));
    String noJar = AnseriniPeer.missing(java, dir.resolve("none.jar"));
    assertTrue(noJar.startsWith("--anserini-jar " + dir.resolve("none.jar") + ": no such file")
        && noJar.contains("bench/peers/fetch-anserini") && !noJar.contains("\n"), noJar);
    String noJava = AnseriniPeer.missing(java, jar);
    assertTrue(noJava.startsWith("--peer-java " + java + ": no such executable")
        && noJava.contains("PARALLAX_PEER_JAVA"), noJava);
    assertTrue(java.toFile().setExecutable(true));
    assertNull(AnseriniPeer.missing(java, jar));
  }

  @ParameterizedTest
  @CsvSource({"'0m54.040s 0m5.000s', 59.04", "'1m2.500s 0m0.500s', 63.0",
      "'  0m0.000s 0m0.000s', 0.0"})
  void readsChildCpuSecondsFromTimes(String line, double seconds) {
    assertEquals(seconds, ProcessTiming.childCpu(line), 1e-9);
  }

  @Test
  void readsRunFilesInRankOrder() throws Exception {
    Path run = Files.writeString(dir.resolve("run.txt"), "q1 Q0 7 1 3.337100 Anserini\n"
        + "q1 Q0 10 2 2.818200 Anserini\nq2 Q0 3 1 1.500000 Anserini\n");
    Map<String, List<Hit>> hits = AnseriniPeer.readRun(run);
    assertEquals(List.of(new Hit("7", 3.3371f, null), new Hit("10", 2.8182f, null)),
        hits.get("q1"));
    assertEquals(List.of(new Hit("3", 1.5f, null)), hits.get("q2"));
  }

  private static List<Hit> hits(String spec) {
    return java.util.Arrays.stream(spec.split(" ")).filter(s -> !s.isEmpty()).map(s -> {
      String[] f = s.split(":");
      return new Hit(f[0], Float.parseFloat(f[1]), null);
    }).toList();
  }

  /** exact list, peer list, then identical / tied at the cut / other. */
  @ParameterizedTest
  @CsvSource({
      "'a:3 b:2 c:1', 'a:3 b:2 c:1', 1, 0, 0",
      "'a:3 b:1 c:1', 'a:3 b:1 d:1.0001', 0, 1, 0",
      "'a:3 b:1 c:1', 'a:3 d:1 e:1', 0, 1, 0",
      "'a:3 b:2 c:1', 'b:2 a:3 c:1', 0, 0, 1",
      "'a:3 b:2 c:1', 'a:3 b:2 d:1.5', 0, 0, 1",
      "'a:3 b:2 c:1', 'a:3 b:2', 0, 0, 1",
      "'', '', 1, 0, 0"})
  void classifiesEachQuery(String exact, String peer, long identical, long tied, long other) {
    RankingAgreement a = new RankingAgreement().add(hits(exact), hits(peer));
    assertEquals(List.of(identical, tied, other), List.of(a.identical(), a.tiedAtCut(),
        a.other()));
  }

  @Test
  void countsQueriesOnlyOneSideHasAndTheLargestScoreDifference() {
    RankingAgreement a = new RankingAgreement().addAll(
        Map.of("q1", hits("a:3 b:2"), "q2", hits("c:1")),
        Map.of("q1", hits("a:3.00005 b:2"), "q3", hits("d:1")));
    assertEquals(1, a.identical());
    assertEquals(2, a.other());
    assertEquals(5e-5, a.maxScoreDifference(), 1e-6);
  }
}
