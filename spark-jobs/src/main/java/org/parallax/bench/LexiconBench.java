package org.parallax.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.parallax.avinfo.LexiconJob;
import org.parallax.avinfo.LexiconOptions;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;

/**
 * The small-input benchmark of issue 12 (goal 3): {@code avinfo lexicon} on a pronouncing
 * dictionary (CMUdict, 126k words) and its viseme maps, whole job, against the plainest program
 * computing the same numbers in one thread: {@link AvTextReference}'s loops over the same files
 * (every map's figures and the Venn map's seven token entropies). A job's fixed cost is part of
 * its speed on inputs this small.
 */
public final class LexiconBench {
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public LexiconBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /** Runs the benchmark on {@code dir}'s {@code cmudict.dict} and {@code phoneme_viseme_maps.tsv}. */
  public String run(Path dir) {
    Path dict = dir.resolve("cmudict.dict");
    Path maps = dir.resolve("phoneme_viseme_maps.tsv");
    // Warm-up: both once, so neither pays for JIT compilation or first class loading alone.
    plain(dict, maps);
    job(dict, maps, "warm-up");
    double plain = Math.min(plain(dict, maps), plain(dict, maps));
    JobReport a = job(dict, maps, "a");
    JobReport b = job(dict, maps, "b");
    double spark = Math.min(a.seconds, b.seconds);
    BenchTable t = new BenchTable("computation", "seconds", "vs plain loop");
    t.row("plain Java loop, 1 thread (read, parse, count, entropies)", plain, 1.0);
    t.row("Spark job `avinfo lexicon`, whole job", spark, spark / plain);
    return String.format("## Small inputs: avinfo lexicon%n%n"
        + "Dictionary %s (%,d words with phones), maps %s, Venn map lee. Both compute every "
        + "map's H(phoneme), H(viseme), H(phoneme|viseme), homophene figures and the Venn "
        + "map's seven (phone, viseme, word) token entropies; the job also writes the "
        + "homophene classes, the quarantine, the report and its charts. Faster of two runs "
        + "each, after a warm-up of each; issue 12 asks job / plain <= 5.%n%n%s%n",
        dict.getFileName(), words(dict), maps.getFileName(), t.markdown());
  }

  private JobReport job(Path dict, Path maps, String name) {
    return JobRunner.run(spark, new LexiconJob(), new LexiconOptions(
        CommonOptions.replacing(work.resolve("lexicon-" + name).toString(), seed),
        dict.toString(), maps.toString(), 2, "lee", 20));
  }

  /** Seconds of the plain computation of the same numbers. */
  private static double plain(Path dict, Path maps) {
    return Stopwatch.seconds(() -> {
      try {
        Map<String, List<String>> words = AvTextReference.dictionary(dict);
        Map<String, Map<String, String>> classes = AvTextReference.maps(maps);
        for (Map<String, String> m : classes.values()) {
          AvTextReference.lexicon(words, m);
        }
        Map<String, String> lee = classes.get("lee");
        List<String[]> tokens = new ArrayList<>();
        for (Map.Entry<String, List<String>> w : words.entrySet()) {
          if (w.getValue().stream().allMatch(lee::containsKey)) {
            for (String p : w.getValue()) {
              tokens.add(new String[] {"", p, lee.get(p), w.getKey()});
            }
          }
        }
        AvTextReference.measures(tokens);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Words with phones in a dictionary, for the section's text. */
  private static int words(Path dict) {
    try {
      return AvTextReference.dictionary(dict).size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
