package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code avinfo stats} against closed-form truths. */
class AvinfoStatsTest extends SparkTestBase {

  @Test
  void estimatesMatchTheGeneratorsClosedFormTruth() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "avinfo", "--out", data.toString(), "--scale", "150000")
        .status());
    Path out = tmp.resolve("stats");
    Run run = cli("avinfo", "stats", "--frames", data.resolve("frames").toString(),
        "--bootstrap", "20", "--null-replicates", "99", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode truth = json(data.resolve("truth.json")).get("measures");
    JsonNode m = report(out).get("metrics").get("measures");
    assertEquals("bits", report(out).get("metrics").get("unit").asText());
    for (String q : List.of("H(A)", "H(V)", "H(T)", "H(A,V,T)", "I(A;V)", "I(A;T)", "I(V;T)",
        "H(T|V)", "H(T|A,V)", "I(A;V;T)")) {
      double t = truth.get(q).asDouble();
      assertEquals(t, m.get(q).get("miller_madow").asDouble(), 0.03, q);
      assertTrue(m.get(q).get("miller_madow_ci_low").asDouble() < m.get(q).get("miller_madow_ci_high").asDouble(), q);
    }
    for (String q : List.of("H(A)", "I(A;V)", "I(A;T)", "I(V;T)")) {
      double t = truth.get(q).asDouble();
      assertTrue(m.get(q).get("miller_madow_ci_low").asDouble() - 0.005 <= t
          && t <= m.get(q).get("miller_madow_ci_high").asDouble() + 0.005, q + " " + m.get(q));
    }
    // A null per pairing: each information vanishes under the null that shuffles one side of
    // it, I(V;T) included (a null that kept V and T together would keep its 0.9 bit), and
    // H(T|V) becomes H(T).
    for (String q : List.of("I(A;V)", "I(A;T)", "I(V;T)", "I(A;V|T)", "I(A;V;T)")) {
      assertEquals(0.0, m.get(q).get("null_miller_madow").asDouble(), 0.01, q);
    }
    assertEquals(truth.get("H(T)").asDouble(), m.get("H(T|V)").get("null_miller_madow")
        .asDouble(), 0.03);
    JsonNode metrics = report(out).get("metrics");
    assertEquals("T shuffled against (A,V)", metrics.get("null_pairings").get("I(V;T)")
        .asText());
    // Frames repeat the previous frame's units with probability 0.5: a variance (1 + r) / (1 - r)
    // = 3 times the independent one, so about a third of the frames are effective.
    double share = report(out).get("counts").get("effective_frames").asDouble()
        / report(out).get("counts").get("frames").asDouble();
    assertTrue(share > 0.2 && share < 0.5, "effective share " + share);
    for (String q : List.of("I(A;V)", "I(A;T)", "I(V;T)", "H(T|A)")) {
      JsonNode e = m.get(q);
      double t = truth.get(q).asDouble();
      assertTrue(e.get("bootstrap_corrected_ci_low").asDouble() - 0.005 <= t
          && t <= e.get("bootstrap_corrected_ci_high").asDouble() + 0.005, q + " " + e);
      assertEquals(t, e.get("jackknife").asDouble(), 0.03, q);
    }
    assertTrue(Files.readString(out.resolve("report.html")).contains("bootstrap-corrected CI"));
    long speakers = report(out).get("counts").get("speakers").asLong();
    assertTrue(speakers >= 2);
    assertEquals(speakers * 15, spark.read().parquet(out.resolve("by_speaker").toString())
        .count(), "15 measures per speaker");
    // Permutation tests: the generator's A and V are independent given T (I(A;V|T) = 0), every
    // other information is above 0.4 bit. A seeded draw of 99 nulls per test.
    JsonNode tests = metrics.get("significance").get("whole_corpus");
    for (String q : List.of("I(A;V)", "I(A;T)", "I(V;T)", "I(A;V;T)")) {
      assertEquals(0.01, tests.get(q).get("p_value").asDouble(), 1e-12, q);
      assertTrue(tests.get(q).get("significant").asBoolean(), q);
    }
    // I(A;V|T) is 0: its p-value is one draw of a uniform one (0.05 with this seed, which BH
    // leaves at 0.05, the edge of significance); asserted only that null draws reached it.
    assertTrue(tests.get("I(A;V|T)").get("p_value").asDouble() > 0.01, tests.toString());
    // Per speaker: a p-value for each information, none for entropies.
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> bySpeaker = spark.read().parquet(
        out.resolve("by_speaker").toString());
    assertEquals(speakers * 5, bySpeaker.filter("p_value is not null and p_bh >= p_value")
        .count());
    assertEquals(speakers * 10, bySpeaker.filter("p_value is null and significant is null")
        .count());
    assertTrue(Files.readString(out.resolve("report.html")).contains("Significance"));
  }

  @Test
  void biasOfIndependentStreamsIsVisibleAndTheNullRemovesIt() throws Exception {
    // Independent A, V, T uniform over 500 units: every information is 0, but 40,000 frames
    // fill the 250,000 cells of (A, V) so thinly that the plug-in I(A;V) is far above 0.
    Random r = new Random(11);
    List<String> lines = new ArrayList<>(List.of(
        "utterance_id,speaker_id,frame,audio_unit,visual_unit,text_unit"));
    for (int u = 0; u < 400; u++) {
      for (int f = 0; f < 100; f++) {
        lines.add("u" + u + ",s0," + f + "," + r.nextInt(500) + "," + r.nextInt(500) + ","
            + r.nextInt(500));
      }
    }
    Path csv = tmp.resolve("independent.csv");
    Files.write(csv, lines);
    Path out = tmp.resolve("independent");
    // Significance is checked on the generator's data above: few null draws here, where the
    // 500 x 500 x 500 tables make each draw costly.
    assertEquals(0, cli("avinfo", "stats", "--frames", csv.toString(), "--bootstrap", "0",
        "--null-replicates", "5",
        "--out", out.toString()).status());
    JsonNode av = report(out).get("metrics").get("measures").get("I(A;V)");
    double plugIn = av.get("plug_in").asDouble();
    assertTrue(plugIn > 1.0, "plug-in bias is visible: " + plugIn);
    assertTrue(av.get("miller_madow").asDouble() < plugIn, "Miller-Madow corrects downwards");
    assertEquals(0.0, av.get("miller_madow").asDouble() - av.get("null_miller_madow").asDouble(),
        0.05, "corrected minus null");
    assertEquals(0.0, plugIn - av.get("null_plug_in").asDouble(), 0.05, "plug-in minus null");
    assertEquals(0.0, av.get("null_subtracted").asDouble(), 0.05, "null-subtracted");
    assertTrue(av.get("null_subtracted_ci_low").asDouble() <= 0
        && 0 <= av.get("null_subtracted_ci_high").asDouble(), av.toString());
    // 500 x 500 possible (A, V) cells for 40,000 frames: the report warns.
    JsonNode warnings = report(out).get("metrics").get("warnings");
    assertTrue(warnings.size() >= 3 && warnings.get(0).asText().startsWith("(A,V) has 250000 "
        + "possible cells"), warnings.toString());
  }

  @Test
  void xorHasMinusOneBitOfCoInformationAndBadFramesAreCounted() throws Exception {
    Random r = new Random(7);
    List<String> lines = new ArrayList<>(List.of(
        "utterance_id,speaker_id,frame,audio_unit,visual_unit,text_unit"));
    for (int u = 0; u < 200; u++) {
      for (int f = 0; f < 100; f++) {
        int a = r.nextInt(2);
        int v = r.nextInt(2);
        lines.add("u" + u + ",s" + (u % 5) + "," + f + "," + a + "," + v + "," + (a ^ v));
      }
    }
    lines.add("u0,s0,0,1,1,0");   // a second row for (u0, frame 0)
    lines.add("u1,s1,500,,1,1");  // a missing audio unit
    lines.add("u2,s2,501,0,,");   // missing visual and text units
    Path csv = tmp.resolve("xor.csv");
    Files.write(csv, lines);
    Path out = tmp.resolve("xor");
    Run run = cli("avinfo", "stats", "--frames", csv.toString(), "--bootstrap", "10",
        "--null-replicates", "5", "--out",
        out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode rep = report(out);
    assertEquals(20_000, rep.get("counts").get("frames").asLong());
    assertEquals(2, rep.get("counts").get("frames_missing_units").asLong());
    assertEquals(1, rep.get("counts").get("duplicate_frames").asLong());
    JsonNode m = rep.get("metrics").get("measures");
    assertEquals(-1.0, m.get("I(A;V;T)").get("miller_madow").asDouble(), 0.01);
    assertEquals(0.0, m.get("I(A;V)").get("miller_madow").asDouble(), 0.005);
    assertEquals(1.0, m.get("I(A;V|T)").get("miller_madow").asDouble(), 0.01);
    assertEquals(0.0, m.get("H(T|A,V)").get("plug_in").asDouble(), 1e-9);
  }

  /**
   * A binary symmetric channel (uniform input, error 0.1) carries 1 - H(0.1) = 0.5310 bits:
   * the estimate's bootstrap interval must contain it. Two data sources get their own rows.
   */
  @Test
  void binarySymmetricChannelWithinItsIntervalAndBreakdownPerDataSource() throws Exception {
    Random r = new Random(3);
    List<String> lines = new ArrayList<>(List.of(
        "utterance_id,speaker_id,frame,audio_unit,visual_unit,text_unit,data_source"));
    for (int u = 0; u < 300; u++) {
      for (int f = 0; f < 100; f++) {
        int a = r.nextInt(2);
        int v = r.nextDouble() < 0.1 ? 1 - a : a;
        lines.add("u" + u + ",s" + (u % 3) + "," + f + "," + a + "," + v + "," + r.nextInt(3)
            + "," + (u % 2 == 0 ? "lrs3" : "vox2"));
      }
    }
    Path csv = tmp.resolve("bsc.csv");
    Files.write(csv, lines);
    Path out = tmp.resolve("bsc");
    Run run = cli("avinfo", "stats", "--frames", csv.toString(), "--bootstrap", "40",
        "--null-replicates", "5", "--out",
        out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode av = report(out).get("metrics").get("measures").get("I(A;V)");
    assertEquals(0.5310, av.get("miller_madow").asDouble(), 0.02);
    assertTrue(av.get("miller_madow_ci_low").asDouble() <= 0.5310 && 0.5310 <= av.get("miller_madow_ci_high").asDouble(),
        av.toString());
    assertEquals(2, report(out).get("counts").get("data_sources").asLong());
    assertEquals(30, spark.read().parquet(out.resolve("by_data_source").toString())
        .filter("data_source in ('lrs3', 'vox2')").count());
    assertTrue(Files.size(out.resolve("venn.png")) > 5_000);
    assertTrue(Files.readString(out.resolve("report.html")).contains("information diagram"));
  }
  /**
   * The record formulation (CPUs) and the relational one (what RAPIDS runs on GPUs) of the
   * same job give the same report and breakdowns: every estimate, interval, null and count,
   * on frames whose utterances are split over several files in shuffled order.
   */
  @Test
  void recordAndRelationalCountingGiveTheSameResults() throws Exception {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "avinfo", "--out", data.toString(), "--scale", "30000")
        .status());
    // Rows dealt into three files at random: every utterance split, its frames out of order.
    Path frames = tmp.resolve("shuffled");
    spark.read().parquet(data.resolve("frames").toString())
        .orderBy(org.apache.spark.sql.functions.rand(5)).repartition(3)
        .write().parquet(frames.toString());
    JsonNode[] reports = new JsonNode[2];
    List<java.util.Map<String, double[]>> groups = new ArrayList<>();
    String[] modes = {"records", "sql"};
    for (int i = 0; i < 2; i++) {
      Path out = tmp.resolve("stats-" + modes[i]);
      spark.conf().set("spark.parallax.avinfo.counting", modes[i]);
      try {
        Run run = cli("avinfo", "stats", "--frames", frames.toString(), "--bootstrap", "10",
            "--null-replicates", "5",
            "--out", out.toString());
        assertEquals(0, run.status(), run.err());
      } finally {
        spark.conf().unset("spark.parallax.avinfo.counting");
      }
      reports[i] = report(out);
      java.util.Map<String, double[]> rows = new java.util.TreeMap<>();
      for (String dir : List.of("by_speaker", "by_data_source")) {
        for (org.apache.spark.sql.Row r : spark.read().parquet(out.resolve(dir).toString())
            .collectAsList()) {
          rows.put(dir + " " + r.get(0) + " " + r.get(1) + " " + r.get(2),
              new double[] {r.getDouble(3), r.getDouble(4)});
        }
      }
      groups.add(rows);
    }
    assertEquals(reports[0].get("counts"), reports[1].get("counts"));
    assertEquals(reports[0].get("metrics").get("significance"), reports[1].get("metrics")
        .get("significance"));
    JsonNode a = reports[0].get("metrics").get("measures");
    JsonNode b = reports[1].get("metrics").get("measures");
    assertEquals(15, a.size());
    int compared = 0;
    for (var q = a.fields(); q.hasNext(); ) {
      var e = q.next();
      for (var f = e.getValue().fields(); f.hasNext(); ) {
        var v = f.next();
        double x = v.getValue().asDouble();
        assertEquals(x, b.get(e.getKey()).get(v.getKey()).asDouble(),
            1e-12 * Math.max(1, Math.abs(x)), e.getKey() + " " + v.getKey());
        compared++;
      }
    }
    assertTrue(compared > 15 * 8, "estimates compared: " + compared);
    assertTrue(groups.get(0).size() > 15 * 10, "breakdown rows: " + groups.get(0).size());
    assertEquals(groups.get(0).keySet(), groups.get(1).keySet());
    groups.get(0).forEach((k, v) -> {
      assertEquals(v[0], groups.get(1).get(k)[0], 1e-12, k);
      assertEquals(v[1], groups.get(1).get(k)[1], 1e-12, k);
    });
  }
}
