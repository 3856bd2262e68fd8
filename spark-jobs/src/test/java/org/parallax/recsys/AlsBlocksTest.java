package org.parallax.recsys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** ALS's blocks follow the log's (user, item) pairs, from one up to MLlib's default of 10. */
class AlsBlocksTest {
  @Test
  void oneBlockPerTwoHundredThousandPairsUpToTen() {
    long[][] cases = {{0, 1}, {1, 1}, {200_000, 1}, {200_001, 2}, {1_000_000, 5},
        {1_999_999, 10}, {2_000_001, 10}, {Long.MAX_VALUE / 2, 10}};
    for (long[] c : cases) {
      assertEquals(c[1], Baselines.blocks(c[0]), "pairs " + c[0]);
    }
  }
}
