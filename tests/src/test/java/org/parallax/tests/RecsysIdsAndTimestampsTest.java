package org.parallax.tests;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.unix_micros;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.parallax.common.TimestampParsing;
import org.parallax.recsys.IdDictionary;

/** Recsys on logs as users have them: ids of any text, timestamps in many forms. */
class RecsysIdsAndTimestampsTest extends SparkTestBase {
  private static final List<String> FOODS = List.of("milk", "yogurt", "bread", "rolls/buns",
      "vegetables", "fruit", "soda", "coffee", "sausage", "cheese", "beer", "water", "chocolate",
      "butter", "eggs", "pastry", "juice", "napkins", "pork", "beef");
  private static final List<String> KINDS = List.of("whole", "other", "tropical", "root",
      "bottled");

  /**
   * A grocery-like log (member numbers with leading zeros, product names with spaces and article
   * ids with leading zeros as items, dd-MM-yyyy dates) through {@code recsys pipeline}: the
   * recommendations, the eval lists and the labels come back in those ids; empty ids and
   * unparsable dates are quarantined with their raw value and a reason.
   */
  @Test
  void groceryLogThroughThePipelineSpeaksItsOwnIds() throws Exception {
    List<String> lines = groceryLog(new Random(13), 150);
    Set<String> members = new HashSet<>();
    Set<String> items = new HashSet<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      members.add(f[0]);
      items.add(f[2]);
    }
    lines.add(",03-05-2023,whole milk");
    lines.add("   ,04-05-2023,whole milk");
    lines.add("00017,31-02-2023,whole milk");
    lines.add("00017,5-1-2023,whole milk");
    Path csv = Files.write(tmp.resolve("log.csv"), lines);
    Path out = tmp.resolve("grocery");
    Run run = cli("recsys", "pipeline", "--interactions", csv.toString(), "--columns",
        "user_id=Member,item_id=Item,ts=Date", "--ts-format", "dd-MM-yyyy", "--timezone",
        "Europe/Paris", "--window-days", "90", "--k", "10", "--train-windows", "2", "--epochs",
        "1", "--als-iterations", "3", "--lightgcn-epochs", "2", "--lightgcn-dim", "8", "--score",
        "--out", out.toString());
    assertEquals(0, run.status(), run.err());

    JsonNode graph = report(out.resolve("graph"));
    assertEquals(4, graph.get("inputs").get(0).get("quarantined").asLong());
    // The first basket is on 01-01-2022, midnight in Paris.
    assertEquals("2021-12-31T23:00:00Z", graph.get("metrics").get("first_ts").asText());
    Map<String, String> reasons = new java.util.HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("graph/_quarantine/interactions").toString())
        .collectAsList()) {
      reasons.put(r.getAs("user_id") + "|" + r.getAs("ts"), r.getAs("_reason"));
    }
    assertEquals(Map.of("null|03-05-2023", "missing user_id",
        "   |04-05-2023", "user_id is empty",
        "00017|31-02-2023", "ts: expected timestamp as 'dd-MM-yyyy', got '31-02-2023'",
        "00017|5-1-2023", "ts: expected timestamp as 'dd-MM-yyyy', got '5-1-2023'"), reasons);

    Dataset<Row> dictionary = spark.read().parquet(out.resolve("graph/dictionary/items")
        .toString());
    assertEquals(items, new HashSet<>(dictionary.select("original_id").as(Encoders.STRING())
        .collectAsList()));
    Row dense = dictionary.agg(org.apache.spark.sql.functions.min("dense_id"),
        org.apache.spark.sql.functions.max("dense_id"),
        org.apache.spark.sql.functions.countDistinct("dense_id")).first();
    assertEquals(List.of(0L, items.size() - 1L, (long) items.size()),
        List.of(dense.getLong(0), dense.getLong(1), dense.getLong(2)));

    Dataset<Row> recs = spark.read().parquet(out.resolve("recommendations/recommendations")
        .toString());
    assertEquals(DataTypes.StringType, recs.schema().apply("item_id").dataType());
    Set<String> recUsers = new HashSet<>(recs.select("user_id").distinct()
        .as(Encoders.STRING()).collectAsList());
    Set<String> recItems = new HashSet<>(recs.select("item_id").distinct()
        .as(Encoders.STRING()).collectAsList());
    assertEquals(members, recUsers, "every member scored, under its own number");
    assertTrue(items.containsAll(recItems), recItems.toString());
    assertTrue(recItems.stream().anyMatch(i -> i.contains(" ")), recItems.toString());
    assertTrue(recItems.stream().anyMatch(i -> i.startsWith("0108775")), recItems.toString());
    assertEquals(members.size() * 10L, recs.count());

    Dataset<Row> evalRecs = spark.read().parquet(out.resolve("eval/recommendations").toString());
    for (String m : List.of("popularity", "past_visits", "als", "contextgnn")) {
      List<Row> some = evalRecs.filter(col("method").equalTo(m)).collectAsList();
      assertTrue(!some.isEmpty(), m);
      for (Row r : some) {
        assertTrue(members.contains(r.<String>getAs("user_id")), m + " " + r);
        assertTrue(items.contains(r.<String>getAs("item_id")), m + " " + r);
      }
    }
    JsonNode methods = report(out.resolve("eval")).get("metrics").get("methods");
    assertTrue(methods.get("past_visits").get("map@10").asDouble() > 0, methods.toString());
    for (Row r : spark.read().parquet(out.resolve("graph/labels").toString())
        .select("original_user_id", "original_label_items").collectAsList()) {
      assertTrue(members.contains(r.<String>getAs(0)), r.toString());
      assertTrue(items.containsAll(r.getList(1)), r.toString());
    }
  }

  /**
   * 50,000 SKUs: dense ids are exactly 0..49,999, and the same ids get the same dense ids
   * whatever the partitioning, the order and the duplicates of the rows they come in.
   */
  @Test
  void dictionaryIsDenseAndDependsOnlyOnTheIds() {
    // 7919 is prime to 50,000: a permutation of 0..49,999.
    Dataset<Row> ids = spark.range(0, 50_000).selectExpr(
        "concat('sku-', lpad(cast(id * 7919 % 50000 as string), 6, '0')) as item_id",
        "id % 3 as part");
    Dataset<Row> a = IdDictionary.build(ids.repartition(7), "item_id").cache();
    Dataset<Row> b = IdDictionary.build(ids.unionByName(ids).repartition(3, col("part"))
        .orderBy(col("item_id").desc()), "item_id");
    Row dense = a.agg(org.apache.spark.sql.functions.count("*"),
        org.apache.spark.sql.functions.min("dense_id"),
        org.apache.spark.sql.functions.max("dense_id"),
        org.apache.spark.sql.functions.countDistinct("dense_id")).first();
    assertEquals(List.of(50_000L, 0L, 49_999L, 50_000L), List.of(dense.getLong(0),
        dense.getLong(1), dense.getLong(2), dense.getLong(3)));
    assertEquals(0, a.except(b).count());
    assertEquals(0, b.except(a).count());
    a.unpersist();
  }

  /**
   * The dictionary as built (one shuffle, by bucket) equals its plain definition computed on the
   * driver: the distinct ids sorted by (bucket, text), numbered from 0, where bucket =
   * pmod(xxhash64(id), 1024); nulls get no dense id.
   */
  @Test
  void dictionaryEqualsTheDistinctIdsSortedByBucketAndText() {
    Dataset<Row> ids = spark.range(0, 6_000).selectExpr("case when id % 7 = 0 then null "
        + "else concat('0', cast(id % 2500 as string)) end as user_id");
    List<Row> distinct = new ArrayList<>(ids.filter("user_id is not null").distinct()
        .selectExpr("user_id", "pmod(xxhash64(user_id), 1024) as bucket").collectAsList());
    distinct.sort(java.util.Comparator.<Row>comparingLong(r -> r.getLong(1))
        .thenComparing(r -> r.getString(0)));
    Map<String, Long> expected = new java.util.HashMap<>();
    for (int i = 0; i < distinct.size(); i++) {
      expected.put(distinct.get(i).getString(0), (long) i);
    }
    Map<String, Long> built = new java.util.HashMap<>();
    for (Row r : IdDictionary.build(ids.repartition(5), "user_id").collectAsList()) {
      built.put(r.getString(0), r.getLong(1));
    }
    assertEquals(2_500, expected.size());
    assertEquals(expected, built);
  }

  /**
   * Each timestamp form maps to its instant, whatever the session's time zone: offsets and
   * epochs are absolute, dates and local times are wall-clock time in the given zone.
   */
  @Test
  void timestampFormsMapToTheirInstants() {
    String[][] cases = {
        // value, zone, pattern, expected instant (null: unparsable)
        {"2024-01-05T10:00:00+02:00", "UTC", null, "2024-01-05T08:00:00Z"},
        {"2024-01-05T10:00:00.5-0530", "Asia/Tokyo", null, "2024-01-05T15:30:00.500Z"},
        {"2024-01-05T10:00:00Z", "Europe/Paris", null, "2024-01-05T10:00:00Z"},
        {"2024-01-05 10:00:00 Europe/Paris", "UTC", null, "2024-01-05T09:00:00Z"},
        {"2024-01-05T10:00", "Europe/Paris", null, "2024-01-05T09:00:00Z"},
        // An offset or zone after a time without seconds is that instant, not quarantined.
        {"2016-01-04T05:30+05:30", "UTC", null, "2016-01-04T00:00:00Z"},
        {"2016-01-04 05:30+05:30", "Europe/Paris", null, "2016-01-04T00:00:00Z"},
        {"2016-01-04T05:30-0130", "UTC", null, "2016-01-04T07:00:00Z"},
        {"2016-01-04T05:30Z", "Asia/Kolkata", null, "2016-01-04T05:30:00Z"},
        {"2016-01-04T05:30 Asia/Kolkata", "UTC", null, "2016-01-04T00:00:00Z"},
        {"2024-07-05 10:00:00", "Europe/Paris", null, "2024-07-05T08:00:00Z"},
        {"2024-01-05", "UTC", null, "2024-01-05T00:00:00Z"},
        {"2024-01-05", "America/New_York", null, "2024-01-05T05:00:00Z"},
        {"1704449000", "Europe/Paris", null, "2024-01-05T10:03:20Z"},
        {"1704449000000", "UTC", null, "2024-01-05T10:03:20Z"},
        {"1704449000123", "UTC", null, "2024-01-05T10:03:20.123Z"},
        {"1704449000.5", "UTC", null, "2024-01-05T10:03:20.500Z"},
        // 99,999,999,999 s is the year 5138; 100,000,000,000 is ms, 1973-03-03.
        {"99999999999", "UTC", null, "5138-11-16T09:46:39Z"},
        {"100000000000", "UTC", null, "1973-03-03T09:46:40Z"},
        {"yesterday", "UTC", null, null},
        {"05-01-2024", "UTC", null, null},
        {"05-01-2024", "UTC", "dd-MM-yyyy", "2024-01-05T00:00:00Z"},
        {"05-01-2024", "+02:00", "dd-MM-yyyy", "2024-01-04T22:00:00Z"},
        {"2024-01-05T10:00:00Z", "UTC", "dd-MM-yyyy", null},
        {"05/01/2024 10:30 +0100", "Asia/Tokyo", "dd/MM/yyyy HH:mm Z", "2024-01-05T09:30:00Z"},
        {"20240105", "UTC", "yyyyMMdd", "2024-01-05T00:00:00Z"},
    };
    String session = spark.conf().get("spark.sql.session.timeZone");
    String policy = spark.conf().get(TimestampParsing.PARSER_POLICY, "EXCEPTION");
    spark.conf().set("spark.sql.session.timeZone", "America/Los_Angeles");
    // As recsys graph runs it: a value the pre-3.0 parser reads differently is unparsable.
    spark.conf().set(TimestampParsing.PARSER_POLICY, "CORRECTED");
    try {
      List<String> wrong = new ArrayList<>();
      for (String[] c : cases) {
        TimestampParsing parsing = new TimestampParsing(c[2], c[1]);
        Row r = spark.createDataset(List.of(c[0]), Encoders.STRING()).toDF("ts")
            .select(unix_micros(parsing.parse(col("ts"), DataTypes.StringType))).first();
        Long expected = c[3] == null ? null
            : java.time.Instant.parse(c[3]).toEpochMilli() * 1000;
        Long got = r.isNullAt(0) ? null : r.getLong(0);
        if (!java.util.Objects.equals(expected, got)) {
          wrong.add(String.join(" | ", java.util.Arrays.asList(c)) + " -> "
              + (got == null ? "null" : java.time.Instant.EPOCH.plusNanos(got * 1000)));
        }
      }
      assertEquals(List.of(), wrong, "values read as another instant, or quarantined (null)");
    } finally {
      spark.conf().set("spark.sql.session.timeZone", session);
      spark.conf().set(TimestampParsing.PARSER_POLICY, policy);
    }
  }

  /**
   * {@code Member,Date,Item}: members {@code 00000..} with 2-10 baskets over 2022-2023, the first
   * on 01-01-2022, each of 1-4 items, half of them from the member's favourites; items are 100
   * product names (skewed) and 20 article ids with leading zeros.
   */
  static List<String> groceryLog(Random random, int members) {
    List<String> catalogue = new ArrayList<>();
    for (String kind : KINDS) {
      for (String food : FOODS) {
        catalogue.add(kind + " " + food);
      }
    }
    for (int a = 0; a < 20; a++) {
      catalogue.add(String.format("01087750%02d", a));
    }
    DateTimeFormatter format = DateTimeFormatter.ofPattern("dd-MM-yyyy");
    LocalDate start = LocalDate.of(2022, 1, 1);
    List<String> lines = new ArrayList<>(List.of("Member,Date,Item"));
    for (int m = 0; m < members; m++) {
      String member = String.format("%05d", m);
      List<String> favourites = List.of(pick(random, catalogue), pick(random, catalogue),
          pick(random, catalogue));
      int baskets = 2 + random.nextInt(9);
      for (int b = 0; b < baskets; b++) {
        String date = (m == 0 && b == 0 ? start : start.plusDays(random.nextInt(730)))
            .format(format);
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
          String item = random.nextBoolean() ? favourites.get(random.nextInt(3))
              : pick(random, catalogue);
          lines.add(member + "," + date + "," + item);
        }
      }
    }
    return lines;
  }

  /** An item, skewed to the front of the catalogue. */
  private static String pick(Random random, List<String> catalogue) {
    double u = random.nextDouble();
    return catalogue.get((int) (catalogue.size() * u * u * u));
  }
}
