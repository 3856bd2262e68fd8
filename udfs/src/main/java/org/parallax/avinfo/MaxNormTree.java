package org.parallax.avinfo;

/**
 * A k-d tree under the max-norm answering the KSG queries about one of its own points: the k
 * nearest other points and the number of others strictly closer than a radius, exactly as a
 * brute-force scan (distances computed as a scan computes them; a node is pruned or counted whole
 * only when rounding guarantees the same verdict for each of its points). Immutable once built.
 */
public final class MaxNormTree {
  private static final int LEAF = 12;

  private final int dims;
  /** Coordinates in tree order, point after point. */
  private final double[] coords;
  /** Original index of the point at each tree position. */
  private final int[] index;
  /** Tree position of each original index. */
  private final int[] position;
  private final int[] start;
  private final int[] end;
  private final int[] left;
  private final int[] right;
  /** Tight bounding boxes: node n's lower corner at {@code lo[n * dims ...]}. */
  private final double[] lo;
  private final double[] hi;
  private int nodes;

  /** Builds the tree over {@code points[i]}, all of the same dimension, copying them. */
  public MaxNormTree(double[][] points) {
    int n = points.length;
    if (n == 0) {
      throw new IllegalArgumentException("a tree needs at least one point");
    }
    dims = points[0].length;
    double[] flat = new double[n * dims];
    for (int i = 0; i < n; i++) {
      if (points[i].length != dims) {
        throw new IllegalArgumentException("point " + i + " has " + points[i].length
            + " coordinates, point 0 has " + dims);
      }
      System.arraycopy(points[i], 0, flat, i * dims, dims);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    // Splits halve nodes of more than LEAF points, so leaves hold at least LEAF / 2.
    int capacity = 2 * (n / (LEAF / 2) + 1);
    start = new int[capacity];
    end = new int[capacity];
    left = new int[capacity];
    right = new int[capacity];
    lo = new double[capacity * dims];
    hi = new double[capacity * dims];
    build(flat, order, 0, n);
    coords = new double[n * dims];
    index = order;
    position = new int[n];
    for (int p = 0; p < n; p++) {
      System.arraycopy(flat, order[p] * dims, coords, p * dims, dims);
      position[order[p]] = p;
    }
  }

  /** Points in the tree. */
  public int size() {
    return index.length;
  }

  /**
   * The max-norm distance from point {@code i} to its {@code k}-th nearest other point (ties
   * counted with multiplicity).
   */
  public double kthNeighbourDistance(int i, int k) {
    if (k < 1 || k >= size()) {
      throw new IllegalArgumentException("k = " + k + " needs 1 <= k < " + size());
    }
    double[] best = new double[k];
    java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
    double[] q = point(i);
    nearest(0, q, position[i], best, null);
    return best[k - 1];
  }

  /**
   * The original indices of the {@code k} nearest points other than {@code i}, nearest first
   * (among equal distances, in tree order).
   */
  public int[] nearestNeighbours(int i, int k) {
    if (k < 1 || k >= size()) {
      throw new IllegalArgumentException("k = " + k + " needs 1 <= k < " + size());
    }
    double[] best = new double[k];
    int[] at = new int[k];
    java.util.Arrays.fill(best, Double.POSITIVE_INFINITY);
    nearest(0, point(i), position[i], best, at);
    int[] out = new int[k];
    for (int j = 0; j < k; j++) {
      out[j] = index[at[j]];
    }
    return out;
  }

  /** The number of points other than {@code i} at max-norm distance strictly below {@code r}. */
  public int countCloser(int i, double r) {
    return dims == 1 ? countSorted(coords[position[i]], r) : count(0, point(i), position[i], r);
  }

  /**
   * One dimension: coordinates are sorted in tree order and {@code |v - q| < r} holds on one
   * contiguous run, found by two binary searches.
   */
  private int countSorted(double q, double r) {
    if (!(r > 0)) {
      return 0;
    }
    int from = 0;
    int to = coords.length;
    while (from < to) {
      int mid = (from + to) >>> 1;
      if (coords[mid] < q && q - coords[mid] >= r) {
        from = mid + 1;
      } else {
        to = mid;
      }
    }
    int lo = from;
    to = coords.length;
    while (from < to) {
      int mid = (from + to) >>> 1;
      if (coords[mid] <= q || coords[mid] - q < r) {
        from = mid + 1;
      } else {
        to = mid;
      }
    }
    return from - lo - 1;
  }

  private double[] point(int i) {
    double[] q = new double[dims];
    System.arraycopy(coords, position[i] * dims, q, 0, dims);
    return q;
  }

  /**
   * Keeps {@code best} as the sorted k smallest distances and, unless null, {@code at} their tree
   * positions.
   */
  private void nearest(int node, double[] q, int self, double[] best, int[] at) {
    int k = best.length;
    if (left[node] < 0) {
      for (int p = start[node]; p < end[node]; p++) {
        if (p != self) {
          double d = distance(p, q, best[k - 1]);
          if (d < best[k - 1]) {
            int j = k - 1;
            while (j > 0 && best[j - 1] > d) {
              best[j] = best[j - 1];
              if (at != null) {
                at[j] = at[j - 1];
              }
              j--;
            }
            best[j] = d;
            if (at != null) {
              at[j] = p;
            }
          }
        }
      }
      return;
    }
    int a = left[node];
    int b = right[node];
    double da = lowerBound(a, q);
    double db = lowerBound(b, q);
    if (db < da) {
      int t = a;
      a = b;
      b = t;
      double td = da;
      da = db;
      db = td;
    }
    if (da < best[k - 1]) {
      nearest(a, q, self, best, at);
    }
    if (db < best[k - 1]) {
      nearest(b, q, self, best, at);
    }
  }

  private int count(int node, double[] q, int self, double r) {
    int off = node * dims;
    boolean inside = true;
    for (int d = 0; d < dims; d++) {
      double l = lo[off + d];
      double h = hi[off + d];
      if ((l > q[d] && l - q[d] >= r) || (h < q[d] && q[d] - h >= r)) {
        return 0;
      }
      inside &= Math.abs(l - q[d]) < r && Math.abs(h - q[d]) < r;
    }
    boolean holdsSelf = self >= start[node] && self < end[node];
    if (inside) {
      return end[node] - start[node] - (holdsSelf ? 1 : 0);
    }
    if (left[node] >= 0) {
      return count(left[node], q, self, r) + count(right[node], q, self, r);
    }
    int c = 0;
    for (int p = start[node]; p < end[node]; p++) {
      if (p != self && distance(p, q, r) < r) {
        c++;
      }
    }
    return c;
  }

  /** The distance from tree point {@code p} to {@code q}; any value >= cap once it reaches cap. */
  private double distance(int p, double[] q, double cap) {
    int off = p * dims;
    double m = 0;
    for (int d = 0; d < dims && m < cap; d++) {
      m = Math.max(m, Math.abs(coords[off + d] - q[d]));
    }
    return m;
  }

  /** A distance no point of {@code node}'s box is closer than (0 inside the box). */
  private double lowerBound(int node, double[] q) {
    int off = node * dims;
    double m = 0;
    for (int d = 0; d < dims; d++) {
      double l = lo[off + d];
      double h = hi[off + d];
      if (l > q[d]) {
        m = Math.max(m, l - q[d]);
      } else if (h < q[d]) {
        m = Math.max(m, q[d] - h);
      }
    }
    return m;
  }

  private int build(double[] flat, int[] order, int from, int to) {
    int node = nodes++;
    start[node] = from;
    end[node] = to;
    int off = node * dims;
    int widest = 0;
    for (int d = 0; d < dims; d++) {
      double l = Double.POSITIVE_INFINITY;
      double h = Double.NEGATIVE_INFINITY;
      for (int p = from; p < to; p++) {
        double v = flat[order[p] * dims + d];
        l = Math.min(l, v);
        h = Math.max(h, v);
      }
      lo[off + d] = l;
      hi[off + d] = h;
      if (h - l > hi[off + widest] - lo[off + widest]) {
        widest = d;
      }
    }
    if (to - from <= LEAF || hi[off + widest] == lo[off + widest]) {
      if (dims == 1) {
        sortLeaf(flat, order, from, to);
      }
      left[node] = -1;
      right[node] = -1;
      return node;
    }
    int mid = (from + to) >>> 1;
    select(flat, order, from, to - 1, mid, widest);
    left[node] = build(flat, order, from, mid);
    right[node] = build(flat, order, mid, to);
    return node;
  }

  private static void sortLeaf(double[] flat, int[] order, int from, int to) {
    for (int p = from + 1; p < to; p++) {
      int o = order[p];
      int at = p;
      while (at > from && flat[order[at - 1]] > flat[o]) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = o;
    }
  }

  /** Reorders {@code order[lo..hi]} so that position {@code kth} holds its sorted element. */
  private void select(double[] flat, int[] order, int lo, int hi, int kth, int d) {
    while (hi > lo) {
      double pivot = flat[order[(lo + hi) >>> 1] * dims + d];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (flat[order[i] * dims + d] < pivot) {
          i++;
        }
        while (flat[order[j] * dims + d] > pivot) {
          j--;
        }
        if (i <= j) {
          int t = order[i];
          order[i++] = order[j];
          order[j--] = t;
        }
      }
      if (kth <= j) {
        hi = j;
      } else if (kth >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }
}
