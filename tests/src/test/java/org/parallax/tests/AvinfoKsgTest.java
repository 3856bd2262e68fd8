package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * {@code avinfo ksg} on seeded bivariate-Gaussian features (one-dimensional audio and visual
 * vectors per frame, 50 frames per utterance), against the closed-form mutual information
 * {@code -ln(1 - rho^2) / 2} and against KSG algorithm 1 by an exhaustive O(N^2) scan written
 * here, independently of the job's tree search. 100,000 samples: {@code KsgTest} (udfs) for the
 * estimator, BENCHMARKS.md for the job (too slow for this suite's budget on 2 shared cores).
 */
class AvinfoKsgTest extends SparkTestBase {
  private static final double RHO = 0.9;

  /** Feature lines (JSONL) and, per speaker, the audio and visual values written. */
  private final List<String> lines = new ArrayList<>();
  private final Map<String, double[][]> bySpeaker = new TreeMap<>();

  /** Adds {@code n} frames of correlation {@code rho} spoken by {@code speaker}. */
  private void frames(String speaker, int n, double rho, long seed) {
    Random r = new Random(seed);
    double[][] xy = new double[2][n];
    for (int i = 0; i < n; i++) {
      xy[0][i] = r.nextGaussian();
      xy[1][i] = rho * xy[0][i] + Math.sqrt(1 - rho * rho) * r.nextGaussian();
      String key = "{\"utterance_id\":\"" + speaker + "-u" + (i / 50) + "\",\"speaker_id\":\""
          + speaker + "\",\"frame\":" + (i % 50);
      lines.add(key + ",\"modality\":\"audio\",\"vector\":[" + xy[0][i] + "]}");
      lines.add(key + ",\"modality\":\"visual\",\"vector\":[" + xy[1][i] + "]}");
    }
    bySpeaker.put(speaker, xy);
  }

  private Path write(String name, List<String> content) throws Exception {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p;
  }

  private static JsonNode ksg(Path features, Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("avinfo", "ksg", "--features",
        features.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    Run run = cli(args.toArray(String[]::new));
    assertEquals(0, run.status(), run.err());
    return report(out);
  }

  private static List<Row> rows(Path out) {
    return spark.read().parquet(out.resolve("ksg").toString()).orderBy("group").collectAsList();
  }

  /**
   * Two speakers (rho 0.9 and 0.3, 2,500 frames each): each group's estimate equals the
   * exhaustive scan on that speaker's frames (the job's 1e-10 jitter cannot move a count on
   * continuous data), and the jackknife intervals do not depend on the input's row order.
   */
  @Test
  void perSpeakerEstimatesEqualTheExhaustiveScanWhateverTheRowOrder() throws Exception {
    frames("s1", 2500, RHO, 41);
    frames("s2", 2500, 0.3, 43);
    Path ordered = write("ordered.jsonl", lines);
    List<String> shuffled = new ArrayList<>(lines);
    Collections.shuffle(shuffled, new Random(7));
    Path reordered = write("shuffled.jsonl", shuffled);
    JsonNode rep = ksg(ordered, tmp.resolve("a"), "--per", "speaker");
    assertEquals(2, rep.get("counts").get("groups").asLong());
    assertEquals(0, rep.get("counts").get("groups_sampled").asLong());
    List<Row> a = rows(tmp.resolve("a"));
    for (Row r : a) {
      double[][] xy = bySpeaker.get(r.<String>getAs("group"));
      assertEquals(2500, r.<Integer>getAs("samples"));
      assertEquals(scan(xy[0], xy[1], 3), r.<Double>getAs("mi_nats"), 1e-9, r.toString());
      assertTrue(r.<Double>getAs("ci_low") < r.<Double>getAs("mi_nats")
          && r.<Double>getAs("mi_nats") < r.<Double>getAs("ci_high"), r.toString());
    }
    assertEquals(-0.5 * Math.log(1 - RHO * RHO), a.get(0).<Double>getAs("mi_nats"), 0.05);
    assertEquals(-0.5 * Math.log(1 - 0.09), a.get(1).<Double>getAs("mi_nats"), 0.05);
    ksg(reordered, tmp.resolve("b"), "--per", "speaker");
    assertEquals(a, rows(tmp.resolve("b")));
  }

  /** Above --max-samples a group is sampled, and the report says so. */
  @Test
  void largeGroupsAreSampledAndReported() throws Exception {
    frames("s1", 3000, RHO, 53);
    lines.add("{\"utterance_id\":\"s1-u0\",\"frame\":99,\"modality\":\"audio\",\"vector\":[]}");
    Path input = write("gauss.jsonl", lines);
    JsonNode rep = ksg(input, tmp.resolve("s"), "--max-samples", "1000");
    assertEquals(1, rep.get("counts").get("groups_sampled").asLong());
    assertEquals(1000, rep.get("counts").get("samples").asLong());
    assertEquals(1, rep.get("counts").get("features_without_vector").asLong());
    assertTrue(rep.get("metrics").get("sampling").asText().contains("1000"));
    Row r = rows(tmp.resolve("s")).get(0);
    assertEquals(3000L, r.<Long>getAs("frames"));
    assertEquals(1000, r.<Integer>getAs("samples"));
    assertEquals(-0.5 * Math.log(1 - RHO * RHO), r.<Double>getAs("mi_nats"), 0.08);
  }

  /**
   * Algorithm 2 with a Theiler window of 3 frames (one speaker, 800 frames in utterances of 50):
   * the job's estimate equals the scan's, which leaves out the frames of the same utterance
   * within 3 frames and counts marginal neighbours within or on each marginal's distance.
   */
  @Test
  void algorithmTwoWithATheilerWindowEqualsTheScan() throws Exception {
    frames("s1", 800, RHO, 61);
    JsonNode rep = ksg(write("w.jsonl", lines), tmp.resolve("w"), "--ksg-algorithm", "2",
        "--theiler", "3");
    assertEquals(2, rep.get("config").get("ksg_algorithm").asInt());
    assertEquals(3, rep.get("config").get("theiler_frames").asInt());
    double[][] xy = bySpeaker.get("s1");
    assertEquals(scan(xy[0], xy[1], 3, 2, 3), rows(tmp.resolve("w")).get(0)
        .<Double>getAs("mi_nats"), 1e-9);
  }

  /** KSG algorithm 1 (k-th joint neighbour, strict marginal counts) by scanning all pairs. */
  private static double scan(double[] x, double[] y, int k) {
    return scan(x, y, k, 1, 0);
  }

  /**
   * KSG algorithm 1 or 2 by scanning all pairs, leaving out frames of the same utterance (50
   * frames each, as {@link #frames} writes them) within {@code w} frames.
   */
  private static double scan(double[] x, double[] y, int k, int algorithm, int w) {
    int n = x.length;
    double sum = 0;
    for (int i = 0; i < n; i++) {
      List<Integer> others = new ArrayList<>();
      for (int j = 0; j < n; j++) {
        if (j != i && !(i / 50 == j / 50 && Math.abs(i - j) <= w)) {
          others.add(j);
        }
      }
      int self = i;
      others.sort(java.util.Comparator.comparingDouble(j -> Math.max(Math.abs(x[self] - x[j]),
          Math.abs(y[self] - y[j]))));
      double eps = 0;
      double ex = 0;
      double ey = 0;
      for (int m = 0; m < k; m++) {
        int j = others.get(m);
        eps = Math.max(Math.abs(x[i] - x[j]), Math.abs(y[i] - y[j]));
        ex = Math.max(ex, Math.abs(x[i] - x[j]));
        ey = Math.max(ey, Math.abs(y[i] - y[j]));
      }
      int nx = 0;
      int ny = 0;
      for (int j : others) {
        nx += algorithm == 1 ? (Math.abs(x[i] - x[j]) < eps ? 1 : 0)
            : (Math.abs(x[i] - x[j]) <= ex ? 1 : 0);
        ny += algorithm == 1 ? (Math.abs(y[i] - y[j]) < eps ? 1 : 0)
            : (Math.abs(y[i] - y[j]) <= ey ? 1 : 0);
      }
      sum += algorithm == 1 ? digamma(nx + 1) + digamma(ny + 1) : digamma(nx) + digamma(ny);
    }
    return digamma(k) + digamma(n) - sum / n - (algorithm == 2 ? 1.0 / k : 0);
  }

  /** psi(m) for a positive integer m: -gamma + sum_{j < m} 1 / j. */
  private static double digamma(int m) {
    double h = -0.5772156649015329;
    for (int j = 1; j < m; j++) {
      h += 1.0 / j;
    }
    return h;
  }
}
