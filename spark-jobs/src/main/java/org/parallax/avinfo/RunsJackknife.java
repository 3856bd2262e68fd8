package org.parallax.avinfo;

/**
 * The delete-one-utterance jackknife of run records ({@link UtteranceRuns.Runs}) with int
 * units, without a boxed table per utterance: the whole table's seven subset tables are held
 * once as compact int-keyed tables, each utterance's seven tables are summed into reused ones,
 * and its leave-one-out entropies come from the whole table's sums of c ln c changed at the
 * utterance's cells only, the arithmetic of {@link JointCounts#profilesWithout}. Equal to
 * {@link Jackknife#add} of each utterance's boxed table ({@code UtteranceRunsTest}). One per
 * task; not thread-safe.
 */
final class RunsJackknife {
  private final Jackknife out;
  private final long frames;
  private final CellCounts[] whole = new CellCounts[7];
  private final double[] sumClogC = new double[7];
  private final long[] cells = new long[7];
  private final CellCounts[] part = new CellCounts[7];
  private final double[][] h = new double[7][];

  RunsJackknife(JointCounts total) {
    this.out = new Jackknife(total);
    this.frames = total.frames();
    for (int i = 0; i < 7; i++) {
      whole[i] = new CellCounts();
      part[i] = new CellCounts();
      sumClogC[i] = total.sumCLogC(i);
    }
    total.forEach((a, v, t, c) -> add(whole, (Integer) a, (Integer) v, (Integer) t, c));
    for (int i = 0; i < 7; i++) {
      cells[i] = whole[i].size();
    }
  }

  /** Adds (a, v, t)'s count to the cell of each of the seven tables (units not kept as 0). */
  private static void add(CellCounts[] tables, int a, int v, int t, long c) {
    for (int i = 0; i < 7; i++) {
      boolean[] keep = GroupProfiles.KEEPS[i];
      tables[i].add(keep[0] ? a : 0, keep[1] ? v : 0, keep[2] ? t : 0, c);
    }
  }

  /** Leaves out one utterance. */
  void add(UtteranceRuns.Runs r) {
    long m = 0;
    for (int i = 0; i < 7; i++) {
      part[i].clear();
    }
    for (int i = 0; i < r.size(); i++) {
      add(part, r.a[i], r.v[i], r.t[i], r.len[i]);
      m += r.len[i];
    }
    long rest = frames - m;
    for (int i = 0; i < 7; i++) {
      CellCounts all = whole[i];
      double[] sum = {sumClogC[i]};
      long[] left = {cells[i]};
      part[i].forEachInt((a, v, t, k) -> {
        long c = all.get(a, v, t);
        if (c < k) {
          throw new IllegalArgumentException("utterance " + r.id + " is not contained in the "
              + "whole table: cell (" + a + ", " + v + ", " + t + ") has " + k
              + " frames, the table " + c);
        }
        sum[0] += clogc(c - k) - clogc(c);
        if (c == k) {
          left[0]--;
        }
      });
      h[i] = JointCounts.entropies(rest, sum[0], left[0]);
    }
    out.addLeftOut(JointCounts.profiles(h)[0]);
  }

  private static double clogc(long c) {
    return c > 0 ? c * Math.log(c) : 0;
  }

  /** The accumulator of the utterances left out so far. */
  Jackknife result() {
    return out;
  }
}
