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

  /** KSG algorithm 1 (k-th joint neighbour, strict marginal counts) by scanning all pairs. */
  private static double scan(double[] x, double[] y, int k) {
    int n = x.length;
    double sum = 0;
    double[] d = new double[n - 1];
    for (int i = 0; i < n; i++) {
      for (int j = 0, o = 0; j < n; j++) {
        if (j != i) {
          d[o++] = Math.max(Math.abs(x[i] - x[j]), Math.abs(y[i] - y[j]));
        }
      }
      java.util.Arrays.sort(d);
      double eps = d[k - 1];
      int nx = 0;
      int ny = 0;
      for (int j = 0; j < n; j++) {
        if (j != i) {
          nx += Math.abs(x[i] - x[j]) < eps ? 1 : 0;
          ny += Math.abs(y[i] - y[j]) < eps ? 1 : 0;
        }
      }
      sum += digamma(nx + 1) + digamma(ny + 1);
    }
    return digamma(k) + digamma(n) - sum / n;
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
