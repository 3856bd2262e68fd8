package org.parallax.recsys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.nn.ParameterList;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.parallax.common.CommonOptions;

/**
 * The training pass ({@link TrainJob#pass}: host batches built on a background thread into
 * reused arrays, put on the device by the stepping thread) gives exactly what the straightforward
 * serial loop gives (a fresh user batch per batch, prepared and stepped on one thread): the same
 * mean loss, the same parameters, the same validation loss, on examples of varied history lengths
 * (none included), a sampled softmax whose candidate count varies by batch, and a short last batch.
 */
class TrainPassTest {
  private static final int ITEMS = 80;
  private static final int FANOUT = 5;
  private static final int BATCH = 8;

  @Test
  void thePrefetchedPassWithReusedArraysEqualsTheSerialLoopExactly() {
    List<TrainExample> examples = examples(8 * BATCH * 3 + 5);
    TrainOptions o = new TrainOptions(CommonOptions.replacing("unused", 3), "g", "f", 8,
        FANOUT, 1, BATCH, 0.05, 1e-4, "none", 2, 20, 24, 0, 30, 10, 1);
    try (ContextGnnTrainer serial = trainer(); ContextGnnTrainer pass = trainer()) {
      double sum = 0;
      int batches = 0;
      ExampleBatches it = new ExampleBatches(examples.iterator(), BATCH, FANOUT);
      while (it.hasNext()) {
        ExampleBatches.Batch b = it.next();
        sum += serial.step(b.users(), b.positives());
        batches++;
      }
      double expectedVal = 0;
      ExampleBatches val = new ExampleBatches(examples.subList(0, 30).iterator(), BATCH, FANOUT);
      int valBatches = 0;
      while (val.hasNext()) {
        ExampleBatches.Batch b = val.next();
        expectedVal += serial.evaluate(b.users(), b.positives());
        valBatches++;
      }

      long[] seen = new long[1];
      double loss = TrainJob.pass(examples.iterator(), o, pass, true, seen);
      double valLoss = TrainJob.pass(examples.subList(0, 30).iterator(), o, pass, false,
          new long[1]);
      assertEquals(examples.size(), seen[0]);
      assertEquals(sum / batches, loss, 0.0);
      assertEquals(expectedVal / valBatches, valLoss, 0.0);
      ParameterList want = serial.block().getParameters();
      ParameterList got = pass.block().getParameters();
      assertEquals(want.size(), got.size());
      for (int i = 0; i < want.size(); i++) {
        assertArrayEquals(want.get(i).getValue().getArray().toFloatArray(),
            got.get(i).getValue().getArray().toFloatArray(), want.get(i).getKey());
      }
    }
  }

  /** Seeded examples: 0 to FANOUT familiar items (a long history first), 1 to 3 labels. */
  private static List<TrainExample> examples(int n) {
    long[] ids = new long[ITEMS];
    for (int i = 0; i < ITEMS; i++) {
      ids[i] = 1000 + i;
    }
    Catalogue catalogue = new Catalogue(ids, List.of(), new long[0]);
    SplittableRandom r = new SplittableRandom(11);
    List<TrainExample> out = new ArrayList<>();
    for (int e = 0; e < n; e++) {
      int history = e == 0 ? FANOUT : r.nextInt(FANOUT + 1);
      List<Row> familiar = new ArrayList<>();
      for (int f = 0; f < history; f++) {
        familiar.add(RowFactory.create(f + 1, 1000L + r.nextInt(ITEMS), 1L + r.nextInt(4),
            0.5 + r.nextInt(30), r.nextDouble()));
      }
      List<Long> labels = new ArrayList<>();
      for (int l = 0; l <= r.nextInt(3); l++) {
        labels.add(1000L + r.nextInt(ITEMS));
      }
      out.add(TrainExample.of(history == 0 && e % 2 == 1 ? null : familiar, labels, e % 2,
          catalogue, new long[1]));
    }
    return out;
  }

  private static ContextGnnTrainer trainer() {
    ContextGnnConfig config = new ContextGnnConfig(ITEMS, 8, FANOUT, 0, 2, 30, 7);
    ContextGnnTrainer t = new ContextGnnTrainer(config, new long[0], 0.05f, 1e-4f, 20, 24, 3);
    float[] table = new float[2 * ITEMS * ItemFeatures.SIZE];
    for (int i = 0; i < 2 * ITEMS; i++) {
      ItemFeatures.encode(i % 7, 1 + i % 5, i % 11, table, i * ItemFeatures.SIZE);
    }
    t.setItemFeatures(table, 2);
    return t;
  }
}
