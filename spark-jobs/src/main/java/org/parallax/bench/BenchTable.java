package org.parallax.bench;

import java.util.ArrayList;
import java.util.List;

/** A Markdown table of benchmark results. */
final class BenchTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  BenchTable(String... header) {
    this.header = List.of(header);
  }

  BenchTable row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c instanceof Double d ? format(d) : String.valueOf(c));
    }
    rows.add(r);
    return this;
  }

  static String format(double d) {
    if (Math.abs(d) >= 1000) {
      return String.format("%,.0f", d);
    }
    if (Math.abs(d) >= 10) {
      return String.format("%.1f", d);
    }
    return String.format("%.3f", d);
  }

  String markdown() {
    StringBuilder sb = new StringBuilder("| ").append(String.join(" | ", header)).append(" |\n|");
    header.forEach(h -> sb.append("---|"));
    sb.append('\n');
    for (List<String> r : rows) {
      sb.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    return sb.toString();
  }
}
