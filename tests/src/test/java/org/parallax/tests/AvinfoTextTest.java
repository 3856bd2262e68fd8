package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.parallax.bench.AvTextReference;

/** {@code avinfo lexicon} and {@code grid} ({@code ksg}: {@link AvinfoKsgTest}). */
class AvinfoTextTest extends SparkTestBase {

  /**
   * Five words under a two-class map: PAT, BAT and MAT share the viseme string (labial vowel
   * stop), SAT differs, TAP differs; one line has no phones; one word has a phone the map leaves
   * out.
   */
  @Test
  void lexiconHomophenesAndEntropiesMatchHandComputation() throws Exception {
    Path dict = tmp.resolve("dict.txt");
    Files.write(dict, List.of(";;; comment", "pat P AE1 T", "bat B AE1 T", "mat M AE1 T",
        "sat S AE1 T", "tap T AE1 P", "tap(2) T AH0 P", "broken", "hat HH AE1 T"));
    Path maps = tmp.resolve("maps.tsv");
    Files.write(maps, List.of("# toy", "phone\ttoy", "P\tlab", "B\tlab", "M\tlab", "AE\tvow",
        "T\talv", "S\talv", "HH\tHH?"));
    Path out = tmp.resolve("lexicon");
    Run run = cli("avinfo", "lexicon", "--dictionary", dict.toString(), "--maps",
        maps.toString(), "--venn-map", "toy", "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode rep = report(out);
    assertEquals(1, rep.get("counts").get("malformed_lines").asLong());
    assertEquals(1, rep.get("counts").get("variants_set_aside").asLong());
    assertEquals(6, rep.get("counts").get("words").asLong());
    JsonNode toy = rep.get("metrics").get("maps").get("toy");
    assertEquals(1, toy.get("entries_with_unknown_phones").asLong());
    assertEquals("[\"HH\"]", toy.get("unknown_phones").toString());
    // Words: pat, bat, mat -> "lab vow alv"; sat -> "alv vow alv"; tap -> "alv vow lab".
    assertEquals(5, toy.get("words").asLong());
    assertEquals(1, toy.get("homophene_classes").asLong());
    assertEquals(3 / 5.0, toy.get("words_with_homophene_fraction").asDouble(), 1e-12);
    assertEquals(log2(5), toy.get("H(word)").asDouble(), 1e-12);
    assertEquals(3 / 5.0 * log2(3), toy.get("H(word|viseme_string)").asDouble(), 1e-12);
    // 15 phone tokens: P B M T(x5, one in tap) ... computed from counts.
    // Phones: P 2 (pat, tap), B 1, M 1, S 1, T 5 (pat bat mat sat + tap), AE 5.
    double[] phones = {2, 1, 1, 1, 5, 5};
    // Visemes: lab 4 (P P B M), alv 6 (T x5, S), vow 5.
    double[] visemes = {4, 6, 5};
    double hp = entropy(phones);
    double hv = entropy(visemes);
    // Miller-Madow correction (cells - 1) / (2N) nats, converted to bits.
    assertEquals(hp + 5 / 30.0 / Math.log(2), toy.get("H(phoneme)").asDouble(), 1e-9);
    assertEquals(hv + 2 / 30.0 / Math.log(2), toy.get("H(viseme)").asDouble(), 1e-9);
    List<Row> classes = spark.read().parquet(out.resolve("homophenes").toString())
        .collectAsList();
    assertEquals(1, classes.size());
    assertEquals("lab vow alv", classes.get(0).getAs("viseme_string"));
    assertEquals(List.of("bat", "mat", "pat"), classes.get(0).getList(3));
    assertTrue(Files.exists(out.resolve("venn.png")));
  }

  /**
   * CMUdict under the three published maps: every figure equal (to 1e-9; the issue asks 1e-4) to
   * {@link AvTextReference}'s plain loop over the same files.
   */
  @Test
  void cmudictUnderThePublishedMapsMatchesAnIndependentCount() throws Exception {
    Path lexicon = bundledData().resolve("lexicon");
    Path out = tmp.resolve("cmudict");
    Run run = cli("avinfo", "lexicon", "--dictionary", lexicon.resolve("cmudict.dict")
        .toString(), "--maps", lexicon.resolve("phoneme_viseme_maps.tsv").toString(), "--out",
        out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode maps = report(out).get("metrics").get("maps");
    Map<String, List<String>> dict = AvTextReference.dictionary(lexicon.resolve("cmudict.dict"));
    Map<String, Map<String, String>> reference = AvTextReference.maps(
        lexicon.resolve("phoneme_viseme_maps.tsv"));
    assertEquals(List.of("lee", "jeffers_barley", "neti"), List.copyOf(reference.keySet()));
    for (String map : reference.keySet()) {
      Map<String, Double> want = AvTextReference.lexicon(dict, reference.get(map));
      JsonNode got = maps.get(map);
      want.forEach((k, v) -> assertEquals(v, got.get(k).asDouble(), 1e-9, map + " " + k));
      assertEquals(dict.size() - want.get("words"), got.get("entries_with_unknown_phones")
          .asDouble(), 0.0, map);
    }
    // Jeffers-Barley gives HH no class: its entries are set aside and counted.
    assertTrue(maps.get("jeffers_barley").get("entries_with_unknown_phones").asLong() > 1000);
  }

  /**
   * GRID speaker 1 under the Lee map: frame counts and every plug-in and Miller-Madow measure
   * equal (to 1e-9; the issue asks 1e-4) to {@link AvTextReference}'s frames and counts from
   * the same files.
   */
  @Test
  void gridMeasuresMatchAnIndependentCount() throws Exception {
    Path lexicon = bundledData().resolve("lexicon");
    Path alignments = bundledData().resolve("grid_s1_align");
    Path out = tmp.resolve("grid");
    Run run = cli("avinfo", "grid", "--alignments", alignments.toString(), "--dictionary",
        lexicon.resolve("cmudict.dict").toString(), "--maps",
        lexicon.resolve("phoneme_viseme_maps.tsv").toString(), "--bootstrap", "10", "--out",
        out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode rep = report(out);
    List<String[]> frames = AvTextReference.gridFrames(alignments,
        AvTextReference.dictionary(lexicon.resolve("cmudict.dict")),
        AvTextReference.maps(lexicon.resolve("phoneme_viseme_maps.tsv")).get("lee"));
    assertEquals(frames.size(), frames.stream().map(f -> f[0]).distinct().count(),
        "no two words claim one frame");
    assertEquals(0, rep.get("counts").get("words_not_in_dictionary").asLong());
    assertEquals(1000, rep.get("counts").get("utterances").asLong());
    // Every GRID s1 alignment ends at 74,500 ticks: frames 0..73 have their centre inside.
    assertEquals(74_000, frames.size());
    assertEquals(frames.size(), rep.get("counts").get("frames").asLong());
    JsonNode m = rep.get("metrics").get("measures");
    List<Map<String, Double>> want = AvTextReference.measures(frames);
    String[] estimators = {"plug_in", "miller_madow"};
    for (int e = 0; e < 2; e++) {
      String estimator = estimators[e];
      want.get(e).forEach((k, v) -> assertEquals(v, m.get(k).get(estimator).asDouble(), 1e-9,
          k + " " + estimator));
    }
    // The viseme is a function of the phone: I(phone; viseme) = H(viseme), exactly (plug-in).
    assertEquals(m.get("H(V)").get("plug_in").asDouble(),
        m.get("I(A;V)").get("plug_in").asDouble(), 1e-9);
    assertTrue(Files.exists(out.resolve("venn.png")));
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static double entropy(double[] counts) {
    double n = 0;
    for (double c : counts) {
      n += c;
    }
    double h = 0;
    for (double c : counts) {
      h -= c / n * log2(c / n);
    }
    return h;
  }
}
