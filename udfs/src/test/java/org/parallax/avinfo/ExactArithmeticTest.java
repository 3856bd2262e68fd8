package org.parallax.avinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one arithmetic ({@link JointCounts}, {@link Jackknife}) depends on the counts only: sums are
 * exact ({@link ExactSum}, against {@link BigDecimal}), so any order of adding cells, any split of
 * a table and any grouping of utterances into partial accumulators give the same bits; its
 * profiles equal the pmf computation of {@link EntropyProfile#of}; leaving a part out equals the
 * table of the rest.
 */
class ExactArithmeticTest {
  /** Doubles of every sign and magnitude, cancelling ones and subnormals among them. */
  private static double[] mixedDoubles(SplittableRandom r, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      double m = r.nextDouble() * (r.nextBoolean() ? 1 : -1);
      x[i] = switch (r.nextInt(5)) {
        case 0 -> m * Math.scalb(1.0, r.nextInt(2040) - 1020);
        case 1 -> m * 1e-310;
        case 2 -> i > 0 ? -x[i - 1] : m;
        default -> m * Math.scalb(1.0, r.nextInt(120) - 60);
      };
    }
    return x;
  }

  @Test
  void exactSumsAreCorrectlyRoundedInAnyOrder() {
    SplittableRandom r = new SplittableRandom(17);
    Random shuffle = new Random(17);
    for (int round = 0; round < 200; round++) {
      double[] x = mixedDoubles(r, 1 + r.nextInt(300));
      BigDecimal exact = BigDecimal.ZERO;
      ExactSum inOrder = new ExactSum();
      for (double d : x) {
        exact = exact.add(new BigDecimal(d));
        inOrder.add(d);
      }
      double want = exact.doubleValue();
      assertEquals(want, inOrder.value(), 0, "round " + round);
      // Shuffled, in random pieces merged in turn: the same bits.
      List<Double> order = new ArrayList<>();
      Arrays.stream(x).forEach(order::add);
      Collections.shuffle(order, shuffle);
      ExactSum merged = new ExactSum();
      ExactSum piece = new ExactSum();
      for (double d : order) {
        piece.add(d);
        if (r.nextInt(20) == 0) {
          merged.add(piece);
          piece = new ExactSum();
        }
      }
      merged.add(piece);
      assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(merged.value()),
          "round " + round);
    }
    ExactSum s = new ExactSum();
    s.add(1e308);
    s.add(1e308);
    assertEquals(Double.POSITIVE_INFINITY, s.value());
    s.add(-1e308);
    assertEquals(1e308, s.value(), 0, "exact beyond the double range");
    s.add(Double.NEGATIVE_INFINITY);
    s.add(Double.POSITIVE_INFINITY);
    assertEquals(Double.NaN, s.value());
  }

  /** A random table's cells as {a, v, t, count}. */
  private static List<long[]> cells(SplittableRandom r, int n) {
    List<long[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int a = r.nextInt(7);
      out.add(new long[] {a, (a + r.nextInt(3)) % 5, r.nextInt(4) == 0 ? r.nextInt(9) : a,
        1 + r.nextInt(r.nextInt(8) == 0 ? 5000 : 20)});
    }
    return out;
  }

  private static long[] bits(double[] x) {
    return Arrays.stream(x).mapToLong(Double::doubleToLongBits).toArray();
  }

  @Test
  void profilesDependOnTheCountsOnly() {
    SplittableRandom r = new SplittableRandom(3);
    Random shuffle = new Random(3);
    for (int round = 0; round < 50; round++) {
      List<long[]> cells = cells(r, 1 + r.nextInt(400));
      JointCounts table = new JointCounts();
      cells.forEach(c -> table.add((int) c[0], (int) c[1], (int) c[2], c[3]));
      // The same counts, shuffled, each split into two adds, through packed arrays.
      Collections.shuffle(cells, shuffle);
      long[] packed = new long[8 * cells.size()];
      for (int i = 0; i < cells.size(); i++) {
        long[] c = cells.get(i);
        long first = r.nextLong(c[3] + 1);
        System.arraycopy(new long[] {c[0], c[1], c[2], first, c[0], c[1], c[2], c[3] - first},
            0, packed, 8 * i, 8);
      }
      JointCounts other = JointCounts.of(packed);
      for (int w = 0; w < 2; w++) {
        assertEquals(Arrays.toString(bits(table.profiles()[w].values())),
            Arrays.toString(bits(other.profiles()[w].values())), "round " + round);
      }
      assertEquals(table.frameVariances(), other.frameVariances(), "round " + round);
      // The pmf computation of the same table.
      double[][][] p = new double[7][5][9];
      cells.forEach(c -> p[(int) c[0]][(int) c[1]][(int) c[2]] += c[3] / (double) table.frames());
      double[] want = EntropyProfile.of(p, Math.E).values();
      double[] got = table.profiles()[0].values();
      for (int q = 0; q < want.length; q++) {
        assertEquals(want[q], got[q], 1e-12, "quantity " + q);
      }
      long m = cells.stream().map(c -> List.of(c[0], c[1], c[2])).distinct().count();
      assertEquals(got[6] + (m - 1) / (2.0 * table.frames()),
          table.profiles()[1].hAVT(), 1e-15);
    }
  }

  /** Leaving out a part (all of some cells, some of others) gives the rest's table, bit for bit. */
  @Test
  void leavingAPartOutEqualsTheRest() {
    SplittableRandom r = new SplittableRandom(8);
    for (int round = 0; round < 50; round++) {
      JointCounts whole = new JointCounts();
      JointCounts part = new JointCounts();
      JointCounts rest = new JointCounts();
      for (long[] c : cells(r, 1 + r.nextInt(200))) {
        long k = r.nextInt(3) == 0 ? c[3] : r.nextLong(c[3] + 1);
        whole.add((int) c[0], (int) c[1], (int) c[2], c[3]);
        part.add((int) c[0], (int) c[1], (int) c[2], k);
        rest.add((int) c[0], (int) c[1], (int) c[2], c[3] - k);
      }
      for (int w = 0; w < 2; w++) {
        assertEquals(Arrays.toString(bits(rest.profiles()[w].values())),
            Arrays.toString(bits(without(whole, part)[w].values())), "round " + round);
      }
    }
    JointCounts one = new JointCounts();
    one.add(1, 1, 1, 2);
    JointCounts more = new JointCounts();
    more.add(1, 1, 1, 3);
    assertThrows(IllegalArgumentException.class, () -> without(one, more));
  }

  /** The profiles of {@code whole} without {@code part}, by {@link JointCounts.Without}. */
  private static EntropyProfile[] without(JointCounts whole, JointCounts part) {
    JointCounts.Without w = whole.without();
    part.forEach(w::add);
    return w.profiles();
  }

  /**
   * The jackknife of utterances left out in any order, by accumulators over any split of them
   * merged in any order: the same bits.
   */
  @Test
  void jackknifeIsTheSameForAnyOrderAndSplit() {
    SplittableRandom r = new SplittableRandom(12);
    Random shuffle = new Random(12);
    List<JointCounts> utterances = new ArrayList<>();
    for (int u = 0; u < 120; u++) {
      JointCounts t = new JointCounts();
      cells(r, 1 + r.nextInt(15)).forEach(c -> t.add((int) c[0], (int) c[1], (int) c[2],
          1 + c[3] % 7));
      utterances.add(t);
    }
    JointCounts total = UtteranceFrames.sum(utterances);
    Jackknife reference = new Jackknife(total);
    utterances.forEach(t -> UtteranceFrames.leaveOut(reference, t));
    for (int round = 0; round < 10; round++) {
      Collections.shuffle(utterances, shuffle);
      List<Jackknife> parts = new ArrayList<>();
      for (JointCounts t : utterances) {
        if (parts.isEmpty() || r.nextInt(10) == 0) {
          parts.add(new Jackknife(total));
        }
        UtteranceFrames.leaveOut(parts.get(parts.size() - 1), t);
      }
      Collections.shuffle(parts, shuffle);
      Jackknife merged = new Jackknife(total);
      parts.forEach(merged::merge);
      assertEquals(120, merged.utterances());
      for (int q = 0; q < Jackknife.QUANTITIES; q++) {
        assertEquals(reference.estimate(q), merged.estimate(q), 0, "estimate " + q);
        assertEquals(reference.standardError(q), merged.standardError(q), 0, "error " + q);
      }
    }
  }
}
