package org.parallax.avinfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.parallax.avinfo.UtteranceRuns.Runs;

/**
 * Frames folded into runs in memory: each stretch of rows of one utterance in a partition becomes
 * one piece; {@link Frames} sorts an utterance's frames by (frame, A, V, T, speaker, source;
 * strings in Spark's binary order), keeps each frame's first row and folds runs, keeping the groups
 * of kept frames only.
 */
final class RunFold {
  private RunFold() {}

  /** Folds every stretch of rows of one utterance in a partition, those {@code keep} takes. */
  static Iterator<Runs> fold(Iterator<InternalRow> rows, Predicate<InternalRow> keep) {
    return new Iterator<>() {
      private final Frames frames = new Frames();
      private UTF8String current;
      private Runs next;

      @Override
      public boolean hasNext() {
        while (next == null && rows.hasNext()) {
          InternalRow r = rows.next();
          if (!keep.test(r)) {
            continue;
          }
          UTF8String id = r.getUTF8String(0);
          if (current != null && !current.equals(id)) {
            next = frames.fold(current.toString());
            frames.clear();
          }
          if (current == null || next != null) {
            current = id.clone();
          }
          frames.add(r.getInt(1), r.getUTF8String(2), r.getUTF8String(3), r.getInt(4),
              r.getInt(5), r.getInt(6));
        }
        if (next == null && current != null) {
          next = frames.fold(current.toString());
          frames.clear();
          current = null;
        }
        return next != null;
      }

      @Override
      public Runs next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        Runs out = next;
        next = null;
        return out;
      }
    };
  }

  /** One utterance's frames being collected, folded into runs by {@link #fold}. */
  static final class Frames {
    private int n;
    private int[] frame = new int[64];
    private int[] a = new int[64];
    private int[] v = new int[64];
    private int[] t = new int[64];
    private int[] g = new int[64];
    private final List<String> speakers = new ArrayList<>();
    private final List<String> sources = new ArrayList<>();
    private final Map<List<String>, Integer> groups = new HashMap<>();
    private UTF8String lastSpeaker;
    private UTF8String lastSource;
    private int lastGroup = -1;

    void clear() {
      n = 0;
      speakers.clear();
      sources.clear();
      groups.clear();
      lastSpeaker = null;
      lastSource = null;
      lastGroup = -1;
    }

    void add(int f, UTF8String speaker, UTF8String source, int au, int vu, int tu) {
      if (lastGroup < 0 || !speaker.equals(lastSpeaker) || !source.equals(lastSource)) {
        lastSpeaker = speaker.clone();
        lastSource = source.clone();
        lastGroup = group(speaker.toString(), source.toString());
      }
      add(f, lastGroup, au, vu, tu);
    }

    private int group(String speaker, String source) {
      return groups.computeIfAbsent(List.of(speaker, source), k -> {
        speakers.add(speaker);
        sources.add(source);
        return speakers.size() - 1;
      });
    }

    private void add(int f, int group, int au, int vu, int tu) {
      if (n == frame.length) {
        int size = n * 2;
        frame = Arrays.copyOf(frame, size);
        a = Arrays.copyOf(a, size);
        v = Arrays.copyOf(v, size);
        t = Arrays.copyOf(t, size);
        g = Arrays.copyOf(g, size);
      }
      frame[n] = f;
      a[n] = au;
      v[n] = vu;
      t[n] = tu;
      g[n] = group;
      n++;
    }

    /** Adds a piece's frames back, one per frame of each run. */
    void addAll(Runs piece) {
      lastGroup = -1;
      for (int i = 0; i < piece.size(); i++) {
        int group = group(piece.speakers[piece.g[i]], piece.sources[piece.g[i]]);
        for (int f = 0; f < piece.len[i]; f++) {
          add(piece.start[i] + f, group, piece.a[i], piece.v[i], piece.t[i]);
        }
      }
    }

    /**
     * The runs of the frames: the first row of each frame by the sort, consecutive frames with the
     * same units and group folded.
     */
    Runs fold(String id) {
      int[] order = sortedOrder();
      int[] rg = new int[n];
      int[] rs = new int[n];
      int[] rl = new int[n];
      int[] ra = new int[n];
      int[] rv = new int[n];
      int[] rt = new int[n];
      int runs = 0;
      int prev = -1;
      for (int k = 0; k < n; k++) {
        int i = order[k];
        if (prev >= 0 && frame[i] == frame[prev]) {
          continue;
        }
        int last = runs - 1;
        if (last >= 0 && frame[i] == frame[prev] + 1 && a[i] == ra[last] && v[i] == rv[last]
            && t[i] == rt[last] && g[i] == rg[last]) {
          rl[last]++;
        } else {
          rg[runs] = g[i];
          rs[runs] = frame[i];
          rl[runs] = 1;
          ra[runs] = a[i];
          rv[runs] = v[i];
          rt[runs] = t[i];
          runs++;
        }
        prev = i;
      }
      // Only the groups of kept frames: a dropped duplicate's speaker is no speaker.
      int[] renumbered = new int[speakers.size()];
      Arrays.fill(renumbered, -1);
      List<String> keptSpeakers = new ArrayList<>();
      List<String> keptSources = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        if (renumbered[rg[r]] < 0) {
          renumbered[rg[r]] = keptSpeakers.size();
          keptSpeakers.add(speakers.get(rg[r]));
          keptSources.add(sources.get(rg[r]));
        }
        rg[r] = renumbered[rg[r]];
      }
      return new Runs(id, keptSpeakers.toArray(new String[0]),
          keptSources.toArray(new String[0]), Arrays.copyOf(rg, runs), Arrays.copyOf(rs, runs),
          Arrays.copyOf(rl, runs), Arrays.copyOf(ra, runs), Arrays.copyOf(rv, runs), Arrays.copyOf(rt, runs));
    }

    /** Spark's order of strings (UTF-8 bytes, not UTF-16 code units as String's). */
    private static int binary(String x, String y) {
      return UTF8String.fromString(x).compareTo(UTF8String.fromString(y));
    }

    /** Row indices by (frame, a, v, t, speaker, source); the identity when already so. */
    private int[] sortedOrder() {
      boolean sorted = true;
      for (int i = 1; i < n; i++) {
        sorted &= frame[i] > frame[i - 1];
      }
      java.util.stream.IntStream order = java.util.stream.IntStream.range(0, n);
      return sorted ? order.toArray() : order.boxed().sorted((x, y) -> {
        int c = Integer.compare(frame[x], frame[y]);
        c = c != 0 ? c : Integer.compare(a[x], a[y]);
        c = c != 0 ? c : Integer.compare(v[x], v[y]);
        c = c != 0 ? c : Integer.compare(t[x], t[y]);
        c = c != 0 ? c : binary(speakers.get(g[x]), speakers.get(g[y]));
        return c != 0 ? c : binary(sources.get(g[x]), sources.get(g[y]));
      }).mapToInt(Integer::intValue).toArray();
    }
  }
}
