package org.parallax.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG charts for reports, drawn headless with XChart. */
public final class Charts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 400;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private Charts() {}

  /** A grouped bar chart: one bar per category and series. */
  public static byte[] bars(String title, String xTitle, String yTitle, List<String> categories,
      Map<String, List<Double>> series) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setLegendVisible(series.size() > 1);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 45 : 0);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    return png(chart);
  }

  /**
   * A grouped bar chart whose series {@code withErrors} carries symmetric error bars
   * ({@code errors}, half-widths), beside plain series; NaN values are drawn as zero.
   */
  public static byte[] barsWithErrors(String title, String xTitle, String yTitle,
      List<String> categories, Map<String, List<Double>> plain, String withErrors,
      List<Double> values, List<Double> errors) {
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 45 : 0);
    chart.getStyler().setErrorBarsColorSeriesColor(true);
    new java.util.TreeMap<>(plain).forEach((name, v) -> chart.addSeries(name, categories,
        finite(v)));
    chart.addSeries(withErrors, categories, finite(values), finite(errors));
    return png(chart);
  }

  private static List<Double> finite(List<Double> v) {
    return v.stream().map(x -> x == null || x.isNaN() ? 0.0 : x).toList();
  }

  /** A line chart of y against x, one line per series. */
  public static byte[] lines(String title, String xTitle, String yTitle,
      Map<String, double[][]> series) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
    return png(chart);
  }

  private static byte[] png(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart) {
    try {
      return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render chart " + chart.getTitle(), e);
    }
  }
}
