package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code recsys pipeline} over the shapes of real logs and the option values a user tries: label
 * windows from a day to a year, logs spanning three weeks to ten years, more {@code
 * --train-windows} than the span holds, 5 items and 100,000 items, users with one event, items
 * seen only after the test cutoff, {@code --k} above the catalogue, {@code --fanout} above every
 * history, offsets and {@code --timezone}, user and item tables with rows the log never mentions.
 * Each cell either runs the whole pipeline and checks its counts against the log (split by the
 * split's own arithmetic, here in plain Java), or stops with exit 2 and the exact usage line
 * before writing anything.
 */
class RecsysShapeMatrixTest extends SparkTestBase {
  private static final long DAY = 86_400L;
  private static final Instant START = Instant.parse("2016-01-04T00:00:00Z");
  private static final List<String> METHODS = List.of("popularity", "past_visits", "als",
      "lightgcn", "contextgnn", "contextgnn_two_tower", "contextgnn_pairwise");

  /** One event of a hand-built log. */
  record Event(String user, String item, long epoch) {}

  /** A log as the test wrote it, and the events it holds (as instants). */
  record Log(Path path, List<Event> events, List<String> extraArgs) {}

  /** A cell that runs the whole pipeline and must succeed. */
  record Success(String name, Function<Path, Log> log, int windowDays, int trainWindows, int k,
      int fanout) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A cell that must stop with exit 2 and {@code message} before any output. */
  record Usage(String name, Function<Path, Log> log, List<String> args, String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> successes() {
    return Stream.of(
        // The reported crash: the earliest labelled window's cutoff precedes the first event.
        new Success("2 years, 90-day windows, 20 train windows (6 hold history)",
            dir -> csv(dir, random(60, 12, 730 * DAY, 700, 1)), 90, 20, 10, 32),
        new Success("3 weeks, 1-day windows, one-event users, items only after the test cutoff",
            dir -> csv(dir, withLateItemsAndSingletons(random(40, 10, 21 * DAY, 400, 2))),
            1, 20, 5, 8),
        new Success("3 weeks, 7-day windows (exactly one training cutoff), 5 items, --k 10, "
            + "--fanout 64", dir -> csv(dir, random(30, 5, 21 * DAY, 300, 3)), 7, 3, 10, 64),
        new Success("10 years, 365-day windows, offsets and --timezone, user and item tables "
            + "with unmentioned rows", RecsysShapeMatrixTest::zonedWithTables, 365, 20, 10, 16),
        new Success("1 year, 30-day windows, 100,000 items (sampled softmax)",
            dir -> csv(dir, manyItems(100_000, 120, 365 * DAY, 4)), 30, 2, 10, 16),
        new Success("datagen grocery, 180-day windows", RecsysShapeMatrixTest::grocery, 180, 20,
            10, 32)).map(Arguments::of);
  }

  static Stream<Arguments> usages() {
    return Stream.of(
        new Usage("every event on one day, 1-day windows",
            dir -> csv(dir, random(20, 6, 8 * 3600, 100, 5)), List.of("--window-days", "1"),
            "--window-days 1 leaves no training cutoff in a log spanning 0.3 days "
                + "(2016-01-04T00:00:00Z to 2016-01-04T08:00:00Z); no window fits: the test, "
                + "validation and one training window need a log spanning at least 3 days"),
        new Usage("380 days, 400-day windows",
            dir -> csv(dir, random(20, 6, 380 * DAY, 200, 6)), List.of("--window-days", "400"),
            "--window-days 400 leaves no training cutoff in a log spanning 380 days "
                + "(2016-01-04T00:00:00Z to 2017-01-18T00:00:00Z); at most 126 fits"),
        new Usage("3 weeks, 8-day windows",
            dir -> csv(dir, random(20, 6, 21 * DAY, 200, 7)), List.of("--window-days", "8"),
            "--window-days 8 leaves no training cutoff in a log spanning 21 days "
                + "(2016-01-04T00:00:00Z to 2016-01-25T00:00:00Z); at most 7 fits"),
        new Usage("1 year, 180-day windows",
            dir -> csv(dir, random(20, 6, 365 * DAY, 200, 8)), List.of("--window-days", "180"),
            "--window-days 180 leaves no training cutoff in a log spanning 365 days "
                + "(2016-01-04T00:00:00Z to 2017-01-03T00:00:00Z); at most 121 fits"),
        new Usage("--train-windows 0", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--train-windows", "0"), "--train-windows must be at least 1, got 0"),
        new Usage("--k 0", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--k", "0"), "--k must be at least 1, got 0"),
        new Usage("--als-iterations 0", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--als-iterations", "0"), "--als-iterations must be at least 1, got 0"),
        new Usage("--fanout 0", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--fanout", "0"), "--fanout must be at least 1, got 0"),
        new Usage("--window-days 0", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--window-days", "0"), "--window-days must be at least 1, got 0"),
        new Usage("--lightgcn-layers -1", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--lightgcn-layers", "-1"), "--lightgcn-layers must be at least 0, got -1"),
        new Usage("--lightgcn-epochs 0", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--lightgcn-epochs", "0"), "--lightgcn-epochs must be at least 1, got 0"),
        new Usage("--lightgcn-learning-rate 0", dir -> csv(dir, random(20, 6, 60 * DAY, 200,
            9)), List.of("--lightgcn-learning-rate", "0"),
            "--lightgcn-learning-rate must be a positive number, got 0.0"),
        new Usage("--lightgcn-l2 -0.1", dir -> csv(dir, random(20, 6, 60 * DAY, 200, 9)),
            List.of("--lightgcn-l2", "-0.1"), "--lightgcn-l2 must be zero or more, got -0.1"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("successes")
  void finishesWithCountsThatAddUp(Success cell) {
    Log log = cell.log().apply(tmp);
    Path out = tmp.resolve("p");
    List<String> args = new ArrayList<>(List.of("recsys", "pipeline", "--interactions",
        log.path().toString(), "--out", out.toString(), "--window-days",
        String.valueOf(cell.windowDays()), "--train-windows", String.valueOf(cell.trainWindows()),
        "--k", String.valueOf(cell.k()), "--fanout", String.valueOf(cell.fanout()), "--epochs",
        "1", "--dim", "8", "--als-rank", "4", "--als-iterations", "2", "--lightgcn-epochs", "2",
        "--lightgcn-dim", "8", "--seed", "1"));
    args.addAll(log.extraArgs());
    Run run = cli(args.toArray(String[]::new));
    assertEquals(0, run.status(), run.err());

    Split expected = Split.of(log.events(), cell.windowDays(), cell.trainWindows());
    JsonNode graph = report(out.resolve("graph"));
    assertEquals(expected.users(), graph.get("counts").get("users").asLong());
    assertEquals(expected.items(), graph.get("counts").get("items").asLong());
    assertEquals(log.events().size(), graph.get("counts").get("edges").asLong());
    assertEquals(expected.test(), graph.get("counts").get("labelled_users_test").asLong());
    assertEquals(expected.val(), graph.get("counts").get("labelled_users_val").asLong());
    assertEquals(expected.train(), graph.get("counts").get("labelled_users_train").asLong());
    assertEquals(expected.cutoffsWithHistory(),
        graph.get("metrics").get("train_cutoffs_with_history").asLong());
    assertEquals(expected.cutoffsWithHistory() < cell.trainWindows(),
        run.out().contains("recsys pipeline: --train-windows " + cell.trainWindows()
            + ": a log spanning "), run.out());

    JsonNode train = report(out.resolve("model"));
    assertEquals(expected.train(), train.get("counts").get("train_examples").asLong());
    assertEquals(expected.val(), train.get("counts").get("val_examples").asLong());
    assertEquals(0, train.get("counts").get("unknown_items_dropped").asLong());

    JsonNode eval = report(out.resolve("eval"));
    assertEquals(2, eval.get("config").get("alsIterations").asInt(), "--als-iterations");
    assertEquals(expected.test(), eval.get("counts").get("evaluated_users").asLong());
    assertEquals(expected.items(), eval.get("counts").get("items").asLong());
    JsonNode methods = eval.get("metrics").get("methods");
    assertEquals(new HashSet<>(METHODS), fieldNames(methods), methods.toString());
    for (String m : METHODS) {
      double map = methods.get(m).get("map@" + cell.k()).asDouble(-1);
      assertTrue(map >= 0 && map <= 1, m + " " + methods);
    }
    List<Row> perMethod = spark.read().parquet(out.resolve("eval/recommendations").toString())
        .filter("method = 'contextgnn'").groupBy("user_id").count().collectAsList();
    assertEquals(expected.test(), perMethod.size());
    long perUser = Math.min(cell.k(), expected.items());
    perMethod.forEach(r -> assertEquals(perUser, r.getLong(1), r.toString()));

    // LightGCN ranks the items of the history up to the test cutoff for every test user with
    // history there; the others have no embedding.
    assertEquals(expected.testWithoutHistory(),
        eval.get("counts").get("lightgcn_users_without_history").asLong());
    JsonNode fit = eval.get("metrics").get("lightgcn");
    assertEquals(expected.itemsBeforeTest(), fit.get("items").asLong());
    assertEquals(2, fit.get("epoch_loss").size());
    List<Row> lightGcn = spark.read().parquet(out.resolve("eval/recommendations").toString())
        .filter("method = 'lightgcn'").groupBy("user_id").count().collectAsList();
    assertEquals(expected.test() - expected.testWithoutHistory(), lightGcn.size());
    long perUserLightGcn = Math.min(cell.k(), expected.itemsBeforeTest());
    lightGcn.forEach(r -> assertEquals(perUserLightGcn, r.getLong(1), r.toString()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usages")
  void stopsWithTheUsageLine(Usage cell) {
    Log log = cell.log().apply(tmp);
    Path out = tmp.resolve("p");
    List<String> args = new ArrayList<>(List.of("recsys", "pipeline", "--interactions",
        log.path().toString(), "--out", out.toString()));
    args.addAll(cell.args());
    Run run = cli(args.toArray(String[]::new));
    assertEquals(2, run.status(), run.err());
    assertEquals("parallax: bad usage: " + cell.message(), run.err().lines().findFirst()
        .orElse(""));
    assertFalse(Files.exists(out), "nothing written");
  }

  /**
   * The temporal split's counts computed from the events here, one event at a time: test cutoff
   * one window before the last event, window k of an event {@code floor((testCutoff - ts) / W) +
   * 1}, a labelled row per (user, window) in windows 0 to 1 + trainWindows.
   */
  record Split(long users, long items, long test, long val, long train, long cutoffsWithHistory,
      long testWithoutHistory, long itemsBeforeTest) {
    static Split of(List<Event> events, int windowDays, int trainWindows) {
      long first = events.stream().mapToLong(Event::epoch).min().orElseThrow();
      long last = events.stream().mapToLong(Event::epoch).max().orElseThrow();
      long w = windowDays * DAY;
      long testCutoff = last - w;
      Set<String> labelled = new HashSet<>();
      Set<String> testUsers = new HashSet<>();
      Set<String> usersBefore = new HashSet<>();
      Set<String> itemsBefore = new HashSet<>();
      long[] perSplit = new long[3];
      for (Event e : events) {
        long window = Math.floorDiv(testCutoff - e.epoch(), w) + 1;
        if (window >= 0 && window <= 1 + trainWindows
            && labelled.add(e.user() + "|" + window)) {
          perSplit[(int) Math.min(window, 2)]++;
        }
        if (window == 0) {
          testUsers.add(e.user());
        }
        if (e.epoch() <= testCutoff) {
          usersBefore.add(e.user());
          itemsBefore.add(e.item());
        }
      }
      testUsers.removeAll(usersBefore);
      long withHistory = 0;
      for (int k = 2; k <= 1 + trainWindows; k++) {
        withHistory += testCutoff - k * w >= first ? 1 : 0;
      }
      return new Split(events.stream().map(Event::user).distinct().count(),
          events.stream().map(Event::item).distinct().count(), perSplit[0], perSplit[1],
          perSplit[2], withHistory, testUsers.size(), itemsBefore.size());
    }
  }

  /**
   * {@code n} distinct events of {@code users} users on {@code items} items spread over {@code
   * span} seconds from START, whole seconds; the first at START and the last at START + span.
   */
  static List<Event> random(int users, int items, long span, int n, long seed) {
    Random r = new Random(seed);
    Set<String> seen = new HashSet<>();
    List<Event> out = new ArrayList<>();
    long start = START.getEpochSecond();
    addDistinct(out, seen, new Event("u0", "i0", start));
    addDistinct(out, seen, new Event("u1", "i1", start + span));
    while (out.size() < n) {
      // Skewed items, so popularity and ALS have something to find.
      int item = (int) Math.min(items - 1, Math.floor(-Math.log(1 - r.nextDouble()) * items / 3));
      addDistinct(out, seen, new Event("u" + r.nextInt(users), "i" + item,
          start + (long) (r.nextDouble() * span)));
    }
    return out;
  }

  private static void addDistinct(List<Event> out, Set<String> seen, Event e) {
    if (seen.add(e.user() + "|" + e.item() + "|" + e.epoch())) {
      out.add(e);
    }
  }

  /** Adds users with one event each (all windows) and items bought only on the last day. */
  static List<Event> withLateItemsAndSingletons(List<Event> events) {
    long last = events.stream().mapToLong(Event::epoch).max().orElseThrow();
    long first = events.stream().mapToLong(Event::epoch).min().orElseThrow();
    List<Event> out = new ArrayList<>(events);
    for (int i = 0; i < 12; i++) {
      out.add(new Event("once" + i, "i" + (i % 4), first + (last - first) * i / 12 + 7));
      out.add(new Event("u" + i, "late" + (i % 3), last - 3600 - i));
    }
    return out;
  }

  /** Many items, each bought a few times, by users of about 200 events each. */
  static List<Event> manyItems(int items, int users, long span, long seed) {
    Random r = new Random(seed);
    List<Event> out = new ArrayList<>();
    long start = START.getEpochSecond();
    for (int i = 0; i < items; i++) {
      long ts = i == 0 ? start : i == 1 ? start + span : start + (long) (r.nextDouble() * span);
      out.add(new Event("u" + (i % users), "i" + i, ts));
    }
    for (int j = 0; j < items / 5; j++) {
      // Repeat purchases of the first few hundred items.
      out.add(new Event("u" + r.nextInt(users), "i" + r.nextInt(300),
          start + 1 + (long) (r.nextDouble() * (span - 2))));
    }
    return out.stream().distinct().toList();
  }

  /** The events as a CSV log {@code user_id,item_id,ts} (ISO-8601 instants). */
  static Log csv(Path dir, List<Event> events) {
    List<String> lines = new ArrayList<>(List.of("user_id,item_id,ts"));
    events.forEach(e -> lines.add(e.user() + "," + e.item() + ","
        + Instant.ofEpochSecond(e.epoch())));
    return new Log(write(dir.resolve("log.csv"), lines), events, List.of());
  }

  /**
   * Ten years at a shop in India, the timestamps a third each local times (read with {@code
   * --timezone Asia/Kolkata}), times with a +05:30 offset and UTC instants; user and item tables
   * list users and items the log never mentions.
   */
  static Log zonedWithTables(Path dir) {
    List<Event> events = random(50, 15, 3652 * DAY, 600, 10);
    ZoneOffset india = ZoneOffset.ofHoursMinutes(5, 30);
    DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(india);
    DateTimeFormatter offset = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
        .withZone(india);
    List<String> lines = new ArrayList<>(List.of("user_id,item_id,ts"));
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      Instant at = Instant.ofEpochSecond(e.epoch());
      String ts = switch (i % 3) {
        case 0 -> local.format(at);
        case 1 -> offset.format(at);
        default -> at.toString();
      };
      lines.add(e.user() + "," + e.item() + "," + ts);
    }
    List<String> users = new ArrayList<>(List.of("user_id,region"));
    for (int u = 0; u < 80; u++) {
      users.add("u" + u + ",r" + (u % 4));
    }
    List<String> items = new ArrayList<>(List.of("item_id,category"));
    for (int i = 0; i < 25; i++) {
      items.add("i" + i + ",c" + (i % 5));
    }
    return new Log(write(dir.resolve("log.csv"), lines), events, List.of("--timezone",
        "Asia/Kolkata", "--users", write(dir.resolve("users.csv"), users).toString(), "--items",
        write(dir.resolve("items.csv"), items).toString()));
  }

  /** {@code datagen recsys --setting grocery} at a small scale, its events read back. */
  static Log grocery(Path dir) {
    Path data = dir.resolve("grocery");
    Run gen = cli("datagen", "recsys", "--out", data.toString(), "--scale", "1500",
        "--setting", "grocery");
    assertEquals(0, gen.status(), gen.err());
    Path log = data.resolve("interactions");
    List<Event> events = spark.read().parquet(log.toString())
        .selectExpr("cast(user_id as string)", "cast(item_id as string)",
            "unix_timestamp(ts)").distinct().collectAsList().stream()
        .map(r -> new Event(r.getString(0), r.getString(1), r.getLong(2))).toList();
    return new Log(log, events, List.of());
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Path write(Path file, List<String> lines) {
    try {
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
