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
    CategoryChart chart = categoryChart(title, xTitle, yTitle, categories, series.size());
    series.forEach((name, values) -> chart.addSeries(name, categories, finite(values)));
    yRange(chart, series.values());
    return png(chart);
  }

  /**
   * A bar chart laid out so that nothing covers anything: the legend (only with several series)
   * below the plot, the category labels upright when they would not fit side by side.
   */
  private static CategoryChart categoryChart(String title, String xTitle, String yTitle,
      List<String> categories, int seriesCount) {
    int longest = categories.stream().mapToInt(String::length).max().orElse(0);
    boolean turned = categories.size() * (longest * 7 + 12) > WIDTH - 120;
    CategoryChart chart = new CategoryChartBuilder().width(WIDTH)
        .height(HEIGHT + (turned ? Math.min(longest, 48) * 7 : 0)).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    chart.getStyler().setLegendVisible(seriesCount > 1);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    // Upright labels never cross their neighbours, however many categories there are.
    chart.getStyler().setXAxisLabelRotation(turned ? 90 : 0);
    chart.getStyler().setXAxisLabelAlignmentVertical(org.knowm.xchart.style.AxesChartStyler.TextAlignment.Right);
    return chart;
  }

  /**
   * The y axis from zero (or the lowest value) to a round number above the highest, so the axis
   * carries evenly spaced ticks rather than only its two ends.
   */
  private static void yRange(CategoryChart chart, java.util.Collection<List<Double>> series) {
    double max = series.stream().flatMap(List::stream).filter(v -> v != null && !v.isNaN())
        .mapToDouble(Double::doubleValue).max().orElse(1.0);
    double min = series.stream().flatMap(List::stream).filter(v -> v != null && !v.isNaN())
        .mapToDouble(Double::doubleValue).min().orElse(0.0);
    chart.getStyler().setYAxisMin(Math.min(0.0, min));
    chart.getStyler().setYAxisMax(roundUp(max));
  }

  /** The smallest of 1, 2, 2.5, 5 or 10 times a power of ten that is at least {@code v}. */
  static double roundUp(double v) {
    if (!(v > 0)) {
      return 1.0;
    }
    double power = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * power >= v * (1 - 1e-12)) {
        return m * power;
      }
    }
    return 10 * power;
  }

  /**
   * A grouped bar chart whose series {@code withErrors} carries symmetric error bars
   * ({@code errors}, half-widths), beside plain series; NaN values are drawn as zero.
   */
  public static byte[] barsWithErrors(String title, String xTitle, String yTitle,
      List<String> categories, Map<String, List<Double>> plain, String withErrors,
      List<Double> values, List<Double> errors) {
    CategoryChart chart = categoryChart(title, xTitle, yTitle, categories, plain.size() + 1);
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
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setLegendVisible(series.size() > 1);
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
