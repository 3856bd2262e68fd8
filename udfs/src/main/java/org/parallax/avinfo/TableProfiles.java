package org.parallax.avinfo;

/**
 * A joint table with int units held as its seven subset tables ({@link CellCounts}): their profiles
 * ({@link JointCounts#profiles(long, double[], long[])}), and the profiles of this table minus a
 * contained part, which change the sums at the part's cells only (the jackknife). Shared by the
 * record and SQL paths. Not thread-safe.
 */
final class TableProfiles {
  /** The units kept by each of the seven tables (A, V, T, AV, AT, VT, AVT). */
  static final boolean[][] KEEPS = {{true, false, false}, {false, true, false},
    {false, false, true}, {true, true, false}, {true, false, true}, {false, true, true},
    {true, true, true}};
  private final CellCounts[] tables = new CellCounts[7];
  private long frames;

  TableProfiles() {
    for (int i = 0; i < 7; i++) {
      tables[i] = new CellCounts();
    }
  }

  /** The tables of {@code packed} {a, v, t, count} quadruples (any number, summed). */
  static TableProfiles of(long[] packed) {
    TableProfiles out = new TableProfiles();
    for (int k = 0; k < packed.length; k += 4) {
      out.add((int) packed[k], (int) packed[k + 1], (int) packed[k + 2], packed[k + 3]);
    }
    return out;
  }

  /** The tables of a joint table with int units. */
  static TableProfiles of(JointCounts joint) {
    TableProfiles out = new TableProfiles();
    joint.forEach((a, v, t, c) -> out.add((Integer) a, (Integer) v, (Integer) t, c));
    return out;
  }

  /** Adds {@code c} frames at cell (a, v, t) of the joint table. */
  void add(int a, int v, int t, long c) {
    for (int i = 0; i < 7; i++) {
      boolean[] keep = KEEPS[i];
      tables[i].add(keep[0] ? a : 0, keep[1] ? v : 0, keep[2] ? t : 0, c);
    }
    frames += c;
  }

  long frames() {
    return frames;
  }

  /** Empties the tables, keeping their capacity. */
  void clear() {
    for (CellCounts t : tables) {
      t.clear();
    }
    frames = 0;
  }

  /** The plug-in ({@code [0]}) and Miller-Madow ({@code [1]}) profiles, in nats. */
  EntropyProfile[] profiles() {
    double[] sums = new double[7];
    long[] cells = new long[7];
    sums(sums, cells);
    return JointCounts.profiles(frames, sums, cells);
  }

  /**
   * The profiles of this table minus {@code part} (contained in it), given this table's {@link
   * #sums}, in time proportional to the part's cells.
   */
  EntropyProfile[] profilesWithout(TableProfiles part, double[] sums, long[] cells) {
    double[] sum = sums.clone();
    long[] left = cells.clone();
    for (int i = 0; i < 7; i++) {
      CellCounts all = tables[i];
      int table = i;
      part.tables[i].forEachInt((a, v, t, k) -> {
        long c = all.get(a, v, t);
        if (c < k) {
          throw new IllegalArgumentException("the part left out is not contained in the whole "
              + "table: cell (" + a + ", " + v + ", " + t + ") has " + k + " frames, the "
              + "table " + c);
        }
        sum[table] += JointCounts.clogc(c - k) - JointCounts.clogc(c);
        left[table] -= c == k ? 1 : 0;
      });
    }
    return JointCounts.profiles(frames - part.frames, sum, left);
  }

  /** Per table, its sum of c ln c ({@code sums}) and its cells ({@code cells}), filled in. */
  void sums(double[] sums, long[] cells) {
    for (int i = 0; i < 7; i++) {
      int table = i;
      tables[i].forEachInt((a, v, t, c) -> {
        sums[table] += JointCounts.clogc(c);
        cells[table]++;
      });
    }
  }
}
