package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.parallax.retrieval.dense.DenseShard;

/**
 * A tiny generated corpus and its questions, indexed once per test JVM with bm25 and e5 in two
 * shards, and the outputs of the jobs the Spark-native API is compared with (each run once, on
 * first use): {@code retrieval search} per retriever, {@code rollout eval}, the stored passage
 * vectors. Shared by the SQL function and ML transformer tests.
 */
final class TinyIndex extends SparkTestBase {
  static final int K = 5;
  private static Path dir;
  private static final Map<String, List<Row>> SEARCHES = new HashMap<>();
  private static Path rollouts;

  private TinyIndex() {}

  static synchronized Path dir() throws Exception {
    if (dir == null) {
      startSpark();
      Path d = Files.createTempDirectory("parallax-tiny-index");
      assertEquals(0, cli("datagen", "retrieval", "--out", d.resolve("data").toString(),
          "--scale", "60").status());
      Run built = cli("retrieval", "index", "--corpus", d.resolve("data/corpus").toString(),
          "--format", "jsonl", "--shards", "2", "--retrievers", "bm25,e5", "--out",
          d.resolve("index").toString());
      assertEquals(0, built.status(), built.err());
      dir = d;
    }
    return dir;
  }

  static Path index() throws Exception {
    return dir().resolve("index");
  }

  static Path qa() throws Exception {
    return dir().resolve("data/qa");
  }

  static Path corpus() throws Exception {
    return dir().resolve("data/corpus");
  }

  /** {@code retrieval search --k 5 --retriever R}: query_id, rank, doc_id, score, contents. */
  static synchronized List<Row> search(String retriever) throws Exception {
    if (!SEARCHES.containsKey(retriever)) {
      Path out = dir().resolve("search-" + retriever);
      Run run = cli("retrieval", "search", "--index", index().toString(), "--queries",
          qa().toString(), "--format", "jsonl", "--k", "" + K, "--retriever", retriever,
          "--out", out.toString());
      assertEquals(0, run.status(), run.err());
      SEARCHES.put(retriever, spark.read().parquet(out.resolve("results").toString())
          .selectExpr("query_id", "rank", "doc_id", "score", "contents")
          .orderBy("query_id", "rank").collectAsList());
    }
    return SEARCHES.get(retriever);
  }

  /** The rollouts of {@code rollout eval} (default mode and policy) over the questions. */
  static synchronized Path rollouts() throws Exception {
    if (rollouts == null) {
      Path out = dir().resolve("rollout");
      Run run = cli("rollout", "eval", "--questions", qa().toString(), "--format", "jsonl",
          "--index", index().toString(), "--out", out.toString());
      assertEquals(0, run.status(), run.err());
      rollouts = out.resolve("rollouts");
    }
    return rollouts;
  }

  /** The passage vectors {@code retrieval index} stored, by passage id. */
  static Map<String, float[]> vectors() throws Exception {
    Map<String, float[]> stored = new HashMap<>();
    for (var s : json(index().resolve("manifest.json")).get("dense").get("shardList")) {
      try (DenseShard d = new DenseShard(index().resolve(s.get("path").asText()), 384)) {
        for (int r = 0; r < d.size(); r++) {
          stored.put(d.id(r), d.vector(r));
        }
      }
    }
    return stored;
  }

  /** A list of floats from Spark as an array. */
  static float[] floats(List<Float> v) {
    float[] out = new float[v.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = v.get(i);
    }
    return out;
  }
}
