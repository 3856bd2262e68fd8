package org.parallax.common;

import java.util.Base64;
import java.util.List;

/**
 * A small self-contained HTML report: headings, paragraphs, tables and PNG charts inlined as data
 * URIs, so the one file can be mailed or opened from an object store. Built top to bottom.
 */
public final class HtmlReport {
  private final StringBuilder body = new StringBuilder();
  private final String title;

  public HtmlReport(String title) {
    this.title = title;
  }

  public HtmlReport heading(String text) {
    body.append("<h2>").append(escape(text)).append("</h2>\n");
    return this;
  }

  public HtmlReport paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
    return this;
  }

  /** A preformatted block, for commands and paths. */
  public HtmlReport code(String text) {
    body.append("<pre>").append(escape(text)).append("</pre>\n");
    return this;
  }

  public HtmlReport table(List<String> header, List<List<String>> rows) {
    body.append("<table>\n<tr>");
    header.forEach(h -> body.append("<th>").append(escape(h)).append("</th>"));
    body.append("</tr>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      row.forEach(c -> body.append("<td>").append(escape(c)).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</table>\n");
    return this;
  }

  public HtmlReport image(String alt, byte[] png) {
    body.append("<img class=\"chart\" alt=\"").append(escape(alt))
        .append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"/>\n");
    return this;
  }

  public String render() {
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title)
        + "</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}"
        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;"
        + "text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}"
        + "img.chart{display:block;margin:1em 0}pre{background:#f6f6f6;padding:8px}</style>"
        + "</head><body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body></html>\n";
  }

  public static String escape(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
