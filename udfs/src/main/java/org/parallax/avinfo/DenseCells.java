package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The joint cells of a corpus (int units) under dense indices, so that a bootstrap replicate is a
 * count vector over them ({@link #profiles}). Not thread-safe.
 */
public final class DenseCells {
  private final Map<List<Object>, Integer> index = new HashMap<>();
  private final List<Object[]> units = new ArrayList<>();
  /** The units as ints, and a table reused (keeping its capacity) by {@link #profiles}. */
  private final int[][] unitsOf = new int[3][0];
  private final TableProfiles table = new TableProfiles();

  /** The dense index of cell (a, v, t), added if new. */
  public int indexOf(Object a, Object v, Object t) {
    return index.computeIfAbsent(List.of(a, v, t), k -> {
      units.add(new Object[] {a, v, t});
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

  /** The plug-in and Miller-Madow profiles, in nats, of {@code counts[i]} frames in cell i. */
  public EntropyProfile[] profiles(long[] counts) {
    if (unitsOf[0].length != counts.length) {
      for (int u = 0; u < 3; u++) {
        unitsOf[u] = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
          unitsOf[u][i] = (Integer) units.get(i)[u];
        }
      }
    }
    table.clear();
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        table.add(unitsOf[0][i], unitsOf[1][i], unitsOf[2][i], counts[i]);
      }
    }
    return table.profiles();
  }
}
