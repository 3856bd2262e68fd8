package org.parallax.datagen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.parallax.common.JobContext;

/**
 * A passage corpus in the Search-R1 / wiki-18 JSONL format
 * ({@code {"id": "7", "contents": "\"Title\"\ntext"}}) and QA pairs in Search-R1's format
 * ({@code id, question, golden_answers, data_source}) whose answers are planted in known passages.
 * Each passage is about one uniquely named entity and states one fact about it (birthplace,
 * founder or instrument) amid Zipf-distributed filler words; answers come from small pools, so
 * the same answer string also appears in unrelated passages and retrieval is not trivial. The
 * gold passage of each question is written beside it ({@code gold_doc_id}).
 */
public final class RetrievalGenerator {
  private static final String[] SYLLABLES = {
    "ba", "ko", "ri", "ta", "me", "lu", "sa", "no", "vi", "de", "ga", "ze", "po", "ki", "fa",
    "mo", "te", "ra", "shi", "nu", "lo", "be", "da", "ve", "ti", "ka", "ro", "se", "mi", "zu"};
  private static final String[] RELATIONS = {"birthplace", "founder", "instrument"};
  private static final int VOCAB = 5000;
  private static final int CITIES = 400;
  private static final int PEOPLE = 600;
  private static final int INSTRUMENTS = 40;
  private static final int WORDS = 100;

  private RetrievalGenerator() {}

  public static void generate(JobContext ctx, DatagenOptions o) {
    SparkSession spark = ctx.spark();
    long seed = ctx.options().seed();
    long passages = o.scale();
    long questions = Math.max(10, Math.min(1_000_000, passages / 20));
    int parts = Seeds.partitions(passages * 10, spark.sparkContext().defaultParallelism());
    StructType corpus = new StructType().add("id", DataTypes.StringType, false)
        .add("contents", DataTypes.StringType, false);
    StructType qa = new StructType().add("id", DataTypes.StringType, false)
        .add("question", DataTypes.StringType, false)
        .add("golden_answers", DataTypes.createArrayType(DataTypes.StringType, false), false)
        .add("data_source", DataTypes.StringType, false)
        .add("gold_doc_id", DataTypes.StringType, false);
    Zipf words = new Zipf(VOCAB, 1.05);

    Dataset<Long> ids = spark.range(0, passages, 1, parts).as(Encoders.LONG());
    ctx.report().time("corpus", () -> ids.map(
        (MapFunction<Long, Row>) p -> RowFactory.create(Long.toString(p),
            contents(seed, p, words)), Encoders.row(corpus))
        .write().json(ctx.out().path("corpus")));
    Dataset<Long> qids = spark.range(0, questions, 1,
        (int) Math.max(1, Math.min(parts, questions / 100_000 + 1))).as(Encoders.LONG());
    ctx.report().time("qa", () -> qids.map(
        (MapFunction<Long, Row>) q -> question(seed, q, passages), Encoders.row(qa))
        .write().json(ctx.out().path("qa")));

    ctx.report().count("passages", passages).count("questions", questions);
    Map<String, Object> truth = new LinkedHashMap<>();
    truth.put("area", "retrieval");
    truth.put("seed", seed);
    truth.put("passages", passages);
    truth.put("questions", questions);
    truth.put("words_per_passage", WORDS);
    truth.put("relations", RELATIONS);
    truth.put("gold", "qa rows carry gold_doc_id, the passage stating the answer");
    ctx.out().writeText("truth.json", Json.write(truth));
  }

  /** The entity a passage is about: a unique two-word name derived from its id. */
  static String entity(long p) {
    String first = capitalise(word(p % 900 + 30, 2));
    String last = capitalise(word(p / 900 + 930, 3));
    return first + " " + last;
  }

  /** The fact passage {@code p} states: relation index and answer. */
  static String[] fact(long seed, long p) {
    SplittableRandom r = Seeds.stream(seed, 10, p);
    int rel = (int) (p % RELATIONS.length);
    String answer;
    switch (rel) {
      case 0:
        answer = capitalise(word(r.nextInt(CITIES) + 100, 3)) + "burg";
        break;
      case 1:
        answer = capitalise(word(r.nextInt(PEOPLE) + 500, 2)) + " "
            + capitalise(word(r.nextInt(PEOPLE) + 1200, 3));
        break;
      default:
        answer = word(r.nextInt(INSTRUMENTS) + 40, 2) + "phone";
    }
    return new String[] {RELATIONS[rel], answer};
  }

  static String contents(long seed, long p, Zipf words) {
    SplittableRandom r = Seeds.stream(seed, 11, p);
    String title = entity(p);
    String[] fact = fact(seed, p);
    String sentence;
    switch (fact[0]) {
      case "birthplace":
        sentence = title + " was born in " + fact[1] + ".";
        break;
      case "founder":
        sentence = title + " was founded by " + fact[1] + ".";
        break;
      default:
        sentence = title + " plays the " + fact[1] + ".";
    }
    List<String> text = new ArrayList<>(WORDS + 8);
    for (int i = 0; i < WORDS; i++) {
      text.add(word(words.sample(r), 2));
    }
    text.add(r.nextInt(WORDS), sentence);
    // A distractor: another answer of the same kind, stated about nobody in particular.
    String[] other = fact(seed, p + 3 * (1 + r.nextInt(1000)));
    text.add(r.nextInt(text.size()), "near " + other[1]);
    return "\"" + title + "\"\n" + String.join(" ", text);
  }

  /**
   * Question {@code q} of a corpus of {@code passages} generated with {@code seed}: {@code id,
   * question, golden_answers, data_source, gold_doc_id}, as the qa output has it (benchmarks
   * make more questions than the generator writes).
   */
  public static Row question(long seed, long q, long passages) {
    long p = Math.floorMod(Seeds.mix(seed ^ 0x5EED, q), passages);
    String title = entity(p);
    String[] fact = fact(seed, p);
    String text;
    switch (fact[0]) {
      case "birthplace":
        text = "where was " + title + " born?";
        break;
      case "founder":
        text = "who founded " + title + "?";
        break;
      default:
        text = "which instrument does " + title + " play?";
    }
    return RowFactory.create("q" + q, text, new String[] {fact[1]}, "synth_" + fact[0],
        Long.toString(p));
  }

  /** A pronounceable word: {@code n} encoded in base-30 syllables, at least {@code min} long. */
  static String word(long n, int min) {
    StringBuilder sb = new StringBuilder();
    long x = n;
    int count = 0;
    do {
      sb.append(SYLLABLES[(int) (x % SYLLABLES.length)]);
      x /= SYLLABLES.length;
      count++;
    } while (x > 0 || count < min);
    return sb.toString();
  }

  private static String capitalise(String s) {
    return s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
