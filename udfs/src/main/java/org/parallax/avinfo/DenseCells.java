package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The joint cells of a corpus under dense indices, each cell with its index in each of the
 * seven tables of {@link JointCounts}, so that the plug-in and Miller-Madow profiles of any
 * count vector over those cells (a bootstrap replicate reweighting utterances whose cells are
 * all the corpus's) take time linear in the cells and no hash tables. Cells are added once;
 * not thread-safe.
 */
public final class DenseCells {
  private final Map<List<Object>, Integer> index = new HashMap<>();
  private final List<Object[]> units = new ArrayList<>();
  private final List<Map<Object, Integer>> tables = new ArrayList<>();
  private final List<List<Integer>> tableOf = new ArrayList<>();
  private int[][] of = new int[7][0];

  public DenseCells() {
    for (int i = 0; i < 7; i++) {
      tables.add(new HashMap<>());
      tableOf.add(new ArrayList<>());
    }
  }

  /** The dense index of cell (a, v, t), added if new. */
  public int indexOf(Object a, Object v, Object t) {
    return index.computeIfAbsent(List.of(a, v, t), k -> {
      Object[] u = {a, v, t};
      units.add(u);
      for (int i = 0; i < 7; i++) {
        Map<Object, Integer> table = tables.get(i);
        Object key = JointCounts.tableKey(i, a, v, t);
        Integer at = table.get(key);
        if (at == null) {
          at = table.size();
          table.put(key, at);
        }
        tableOf.get(i).add(at);
      }
      return units.size() - 1;
    });
  }

  /** Cells indexed so far. */
  public int size() {
    return units.size();
  }

  /** The table of {@code counts[i]} frames in cell i (as {@link JointCounts}). */
  public JointCounts table(long[] counts) {
    JointCounts out = new JointCounts();
    for (int i = 0; i < counts.length; i++) {
      Object[] u = units.get(i);
      out.add(u[0], u[1], u[2], counts[i]);
    }
    return out;
  }

  /**
   * The plug-in ({@code [0]}) and Miller-Madow ({@code [1]}) profiles, in nats, of
   * {@code counts[i]} frames in cell i; equal to {@code table(counts).profiles()}.
   */
  public EntropyProfile[] profiles(long[] counts) {
    double[][] h = new double[7][];
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    if (of[0].length != units.size()) {
      for (int i = 0; i < 7; i++) {
        of[i] = tableOf.get(i).stream().mapToInt(Integer::intValue).toArray();
      }
    }
    for (int i = 0; i < 7; i++) {
      long[] table = new long[tables.get(i).size()];
      for (int c = 0; c < counts.length; c++) {
        table[of[i][c]] += counts[c];
      }
      double sum = 0;
      long cells = 0;
      for (long c : table) {
        if (c > 0) {
          sum += c * Math.log(c);
          cells++;
        }
      }
      h[i] = JointCounts.entropies(n, sum, cells);
    }
    return JointCounts.profiles(h);
  }
}
