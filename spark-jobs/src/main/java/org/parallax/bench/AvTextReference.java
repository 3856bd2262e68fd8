package org.parallax.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The figures of {@code avinfo lexicon} and {@code avinfo grid}, computed a second time by plain
 * loops over the files (no Spark, none of the jobs' code) from the definitions the jobs
 * document: CMUdict lines {@code WORD PH1 PH2 ...} ({@code #} comments and {@code ;;;} lines
 * skipped, stress digits stripped, {@code WORD(2)} variants set aside, the first entry per word
 * kept), phone classes from the TSV (a blank class or one ending in {@code ?} is no class),
 * entropies in bits, Miller-Madow corrected ({@code + (cells - 1) / 2N} nats) unless said
 * otherwise. The tests pin the jobs' figures to these; {@link LexiconBench} times them as the
 * plain single-threaded baseline of {@code avinfo lexicon}.
 */
public final class AvTextReference {
  private AvTextReference() {}

  /** Word -> phones (stress digits stripped) of the first non-variant entry of each word. */
  public static Map<String, List<String>> dictionary(Path file) throws IOException {
    Map<String, List<String>> words = new LinkedHashMap<>();
    for (String raw : Files.readAllLines(file)) {
      int hash = raw.indexOf('#');
      String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
      if (line.isEmpty() || line.startsWith(";;;")) {
        continue;
      }
      String[] t = line.split("\\s+");
      if (t.length < 2 || t[0].matches(".*\\(\\d+\\)")) {
        continue;
      }
      List<String> phones = new ArrayList<>();
      for (int i = 1; i < t.length; i++) {
        phones.add(t[i].toUpperCase().replaceAll("[0-9]", ""));
      }
      words.putIfAbsent(t[0].toLowerCase(), phones);
    }
    return words;
  }

  /** Map name -> (phone -> class), phones without a class left out. */
  public static Map<String, Map<String, String>> maps(Path tsv) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(tsv)) {
      if (!l.startsWith("#") && !l.isBlank()) {
        lines.add(l);
      }
    }
    String[] header = lines.get(0).split("\t");
    Map<String, Map<String, String>> maps = new LinkedHashMap<>();
    for (int c = 1; c < header.length; c++) {
      Map<String, String> m = new HashMap<>();
      for (String l : lines.subList(1, lines.size())) {
        String[] f = l.split("\t", -1);
        String cls = c < f.length ? f[c].trim() : "";
        if (!cls.isEmpty() && !cls.endsWith("?")) {
          m.put(f[0].trim().toUpperCase(), cls);
        }
      }
      maps.put(header[c].trim(), m);
    }
    return maps;
  }

  /**
   * Per map: H(phoneme), H(viseme), H(phoneme|viseme) over the phone tokens of the words whose
   * phones all have a class; the fraction of those words sharing their viseme string with
   * another word, the homophene classes (strings shared by >= 2 words) and H(word|viseme
   * string) with words uniform.
   */
  public static Map<String, Double> lexicon(Map<String, List<String>> dict, Map<String, String> map) {
    Map<Object, Long> phones = new HashMap<>();
    Map<Object, Long> visemes = new HashMap<>();
    Map<Object, Long> pairs = new HashMap<>();
    Map<String, Long> strings = new HashMap<>();
    for (List<String> ph : dict.values()) {
      if (!ph.stream().allMatch(map::containsKey)) {
        continue;
      }
      List<String> vs = new ArrayList<>();
      for (String p : ph) {
        String v = map.get(p);
        vs.add(v);
        phones.merge(p, 1L, Long::sum);
        visemes.merge(v, 1L, Long::sum);
        pairs.merge(List.of(p, v), 1L, Long::sum);
      }
      strings.merge(String.join(" ", vs), 1L, Long::sum);
    }
    long words = 0;
    long shared = 0;
    long classes = 0;
    double sizeLogSize = 0;
    for (long s : strings.values()) {
      words += s;
      if (s >= 2) {
        shared += s;
        classes++;
      }
      sizeLogSize += s * Math.log(s);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("words", (double) words);
    out.put("H(phoneme)", millerMadow(phones));
    out.put("H(viseme)", millerMadow(visemes));
    out.put("H(phoneme|viseme)", millerMadow(pairs) - millerMadow(visemes));
    out.put("words_with_homophene_fraction", shared / (double) words);
    out.put("homophene_classes", (double) classes);
    out.put("H(word|viseme_string)", sizeLogSize / words / Math.log(2));
    return out;
  }

  /**
   * GRID frames (25 fps; frame f takes the word whose [start, end) holds f + 0.5; of the word's
   * n phones, frame f of its {@code first..last} takes phone {@code floor((f - first) * n /
   * frames)}; sil and sp are silence) as (frame key, phone, viseme, word) under {@code map};
   * frames whose word or phone has no entry or class are left out.
   */
  public static List<String[]> gridFrames(Path alignments, Map<String, List<String>> dict,
      Map<String, String> map) throws IOException {
    List<String[]> frames = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(alignments)) {
      files = s.filter(p -> p.toString().endsWith(".align")).sorted().toList();
    }
    for (Path f : files) {
      for (String line : Files.readAllLines(f)) {
        String[] t = line.trim().split("\\s+");
        if (t.length != 3) {
          continue;
        }
        int first = (int) Math.ceil(Long.parseLong(t[0]) / 1000.0 - 0.5);
        int last = (int) Math.ceil(Long.parseLong(t[1]) / 1000.0 - 0.5) - 1;
        String word = t[2].toLowerCase();
        List<String> phones = word.equals("sil") || word.equals("sp") ? List.of("SIL")
            : dict.get(word);
        for (int frame = first; frame <= last && phones != null; frame++) {
          String phone = phones.get((frame - first) * phones.size() / (last - first + 1));
          String viseme = phone.equals("SIL") ? "SIL" : map.get(phone);
          if (viseme != null) {
            frames.add(new String[] {f.getFileName() + "/" + frame, phone, viseme, word});
          }
        }
      }
    }
    return frames;
  }

  /**
   * The 15 measures of {@code avinfo stats} (H(A) ... I(A;V;T)) of (A, V, T) triples, in bits:
   * {@code [0]} plug-in, {@code [1]} Miller-Madow.
   */
  public static List<Map<String, Double>> measures(List<String[]> triples) {
    List<Map<Object, Long>> tables = new ArrayList<>();
    int[][] subsets = {{1}, {2}, {3}, {1, 2}, {1, 3}, {2, 3}, {1, 2, 3}};
    for (int[] subset : subsets) {
      Map<Object, Long> table = new HashMap<>();
      for (String[] t : triples) {
        List<String> key = new ArrayList<>();
        for (int i : subset) {
          key.add(t[i]);
        }
        table.merge(key, 1L, Long::sum);
      }
      tables.add(table);
    }
    List<Map<String, Double>> out = new ArrayList<>();
    for (boolean corrected : new boolean[] {false, true}) {
      double[] h = new double[7];
      for (int i = 0; i < 7; i++) {
        h[i] = corrected ? millerMadow(tables.get(i)) : plugIn(tables.get(i));
      }
      Map<String, Double> m = new LinkedHashMap<>();
      String[] names = {"H(A)", "H(V)", "H(T)", "H(A,V)", "H(A,T)", "H(V,T)", "H(A,V,T)"};
      for (int i = 0; i < 7; i++) {
        m.put(names[i], h[i]);
      }
      m.put("I(A;V)", h[0] + h[1] - h[3]);
      m.put("I(A;T)", h[0] + h[2] - h[4]);
      m.put("I(V;T)", h[1] + h[2] - h[5]);
      m.put("H(T|V)", h[5] - h[1]);
      m.put("H(T|A)", h[4] - h[0]);
      m.put("H(T|A,V)", h[6] - h[3]);
      m.put("I(A;V|T)", h[4] + h[5] - h[2] - h[6]);
      m.put("I(A;V;T)", h[0] + h[1] + h[2] - h[3] - h[4] - h[5] + h[6]);
      out.add(m);
    }
    return out;
  }

  /** Plug-in entropy of counts, bits. */
  public static double plugIn(Map<?, Long> counts) {
    double n = 0;
    for (long c : counts.values()) {
      n += c;
    }
    double h = 0;
    for (long c : counts.values()) {
      h -= c / n * Math.log(c / n);
    }
    return h / Math.log(2);
  }

  /** Miller-Madow entropy of counts: plug-in + (cells - 1) / 2N nats, in bits. */
  public static double millerMadow(Map<?, Long> counts) {
    double n = 0;
    for (long c : counts.values()) {
      n += c;
    }
    return plugIn(counts) + (counts.size() - 1) / (2 * n) / Math.log(2);
  }
}
