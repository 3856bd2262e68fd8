package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * ContextGNN against its floor on a grocery-like log (datagen recsys --setting grocery: 200
 * items, heavy popularity skew, few baskets per user, weak repeats), where popularity is the
 * baseline to beat. The model kept is the validation-MAP best of the trained epochs and of the
 * block's exact reproductions of the popularity and past-visits baselines, so on the validation
 * window it is never below them (structural, not a matter of luck); the popularity reproduction
 * scores exactly what {@code recsys eval} gives the popularity baseline on that window (the item
 * features the model reads are the baseline's counts); and on the test window ContextGNN is at
 * least the best baseline (LightGCN included) minus {@link #MARGIN}, a margin above the run-to-run
 * noise of training measured on this very log (see there).
 */
class RecsysBaselineFloorTest extends SparkTestBase {

  @Test
  void contextGnnIsNeverBelowTheBaselinesItReproduces() {
    Path data = tmp.resolve("data");
    assertEquals(0, cli("datagen", "recsys", "--setting", "grocery", "--scale", "12000",
        "--out", data.toString()).status());
    Path out = tmp.resolve("grocery");
    Run run = cli("recsys", "pipeline", "--interactions", data.resolve("interactions").toString(),
        "--items", data.resolve("items").toString(), "--window-days", "30", "--train-windows",
        "6", "--epochs", "4", "--k", "10", "--lightgcn-epochs", "3", "--lightgcn-dim", "16",
        "--out", out.toString());
    assertEquals(0, run.status(), run.err());
    JsonNode train = report(out.resolve("model")).get("metrics");
    double kept = train.get("best_val_map@10").asDouble();
    JsonNode equivalents = train.get("val_map_baseline_equivalents");
    double popularity = equivalents.get("popularity_equivalent").asDouble();
    double pastVisits = equivalents.get("past_visits_equivalent").asDouble();
    assertTrue(kept >= popularity && kept >= pastVisits, train.toString());
    for (JsonNode epoch : train.get("epochs")) {
      assertTrue(epoch.get("val_map").asDouble() <= kept, train.toString());
    }
    assertTrue(train.get("selected").asText().matches("epoch \\d+|popularity_equivalent"
        + "|past_visits_equivalent"), train.toString());

    Path val = tmp.resolve("eval-val");
    Run eval = cli("recsys", "eval", "--graph", out.resolve("graph").toString(), "--split", "val",
        "--baselines", "popularity", "--k", "10", "--window-days", "30", "--out", val.toString());
    assertEquals(0, eval.status(), eval.err());
    double baseline = report(val).get("metrics").get("methods").get("popularity").get("map@10")
        .asDouble();
    assertEquals(baseline, popularity, 1e-9, "the model's popularity reproduction");

    JsonNode test = report(out.resolve("eval")).get("metrics").get("methods");
    double gnn = test.get("contextgnn").get("map@10").asDouble();
    double best = 0;
    for (String method : new String[] {"popularity", "past_visits", "als", "lightgcn"}) {
      best = Math.max(best, test.get(method).get("map@10").asDouble());
    }
    assertTrue(gnn >= best - MARGIN, "contextgnn " + gnn + " vs best baseline " + best + ": "
        + test);
  }

  /**
   * Three standard deviations of ContextGNN's test MAP@10 over training seeds on this log: the
   * same commands with {@code recsys train --seed} 42, 1, 2, 3 gave 0.3216, 0.3249, 0.3214,
   * 0.3273 (sd 0.0029) against popularity 0.3156, the best baseline (ALS 0.202, past visits
   * 0.143): every seed was above it, by 0.006 to 0.012.
   */
  private static final double MARGIN = 0.009;
}
