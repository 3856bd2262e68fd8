package org.parallax.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code submit/run demo} runs every area and writes a report a person can open; its console
 * carries parallax's lines only (no engine warnings from PyTorch training, ALS or Spark). Run
 * without MovieLens (its pipeline is {@link RecsysModelTest}'s), so the report says it was not.
 */
class DemoTest extends SparkTestBase {

  @Test
  void demoWritesReportWithTablesAndChartsAndAQuietConsole() throws Exception {
    Path out = tmp.resolve("demo");
    Console run = Console.run(tmp, List.of("PARALLAX_MOVIELENS"), "demo", "--out",
        out.toString(), "--scale", "0.1");
    assertEquals(0, run.status(), run.errText());
    run.assertQuiet();
    Path html = out.resolve("report.html");
    assertTrue(String.join("\n", run.out()).contains(html.toString()), run.out().toString());
    String text = Files.readString(html);
    Matcher images = Pattern.compile("<img class=\"chart\" alt=\"[^\"]+\" src=\"data:image/png;"
        + "base64,([A-Za-z0-9+/=]{2000,})\"").matcher(text);
    int charts = 0;
    while (images.find()) {
      charts++;
      assertNothingCutOff(images.group(1), charts, tmp.resolve("chart-" + charts + ".png"));
    }
    assertTrue(charts >= 7, "charts: " + charts);
    // The jobs table's counts read as words and numbers, not as a Java map.
    assertTrue(!text.contains("<td>{"), "raw map in the counts column");
    assertTrue(Pattern.compile("<td>[a-z ]+ [0-9,]+( \u00b7 [a-z0-9 ]+ [0-9,.]+)*</td>")
        .matcher(text).find(), "counts column");
    for (String job : new String[] {"datagen recsys", "recsys graph", "datagen retrieval",
        "datagen avinfo"}) {
      assertTrue(text.contains("<td>" + job + "</td><td>succeeded</td>"), job);
      assertTrue(Files.exists(out.resolve(job.startsWith("datagen")
          ? "data/" + job.substring(8) : "recsys/graph").resolve("_SUCCESS")), job);
    }
    assertTrue(text.contains("<td>I(A;V;T)</td>"), "avinfo table");
    assertTrue(text.contains("<td>avinfo stats</td><td>succeeded</td>"), "avinfo stats");
    for (String job : new String[] {"retrieval index generated", "retrieval search generated",
        "retrieval import-hotpotqa", "retrieval search hotpotqa"}) {
      assertTrue(text.contains("<td>" + job + "</td><td>succeeded</td>"), job);
    }
    assertTrue(text.contains("<td>hotpotqa</td><td>521</td><td>53</td>"), "HotpotQA row");
    for (String mode : new String[] {"direct", "rag", "search-r1"}) {
      assertTrue(text.contains("<td>rollout eval hotpotqa " + mode + "</td><td>succeeded</td>"),
          mode);
    }
    assertTrue(text.contains("<td>generated</td><td>search-r1</td>"), "rollout table");
    for (String job : new String[] {"recsys features generated", "recsys train generated",
        "recsys eval generated"}) {
      assertTrue(text.contains("<td>" + job + "</td><td>succeeded</td>"), job);
    }
    assertTrue(text.contains("<td>generated</td><td>contextgnn</td>"), "ContextGNN row");
    // Without MovieLens the report says so instead of promising rows it does not have.
    assertTrue(text.contains("MovieLens latest-small was not run"), "MovieLens note");
    assertTrue(!text.contains("<td>movielens</td>"), "no MovieLens rows");
    assertTrue(text.contains("alt=\"information diagram\""), "Venn chart");
    assertChartsRenderInChromium(html);
  }

  /**
   * Checks one chart as a reader would meet it: it decodes, and nothing is drawn into its outer
   * border (a label or legend cut off by the image's edge would be). The chart is also written
   * beside the test's files for a person to look at.
   */
  private static void assertNothingCutOff(String base64, int index, Path png) throws Exception {
    byte[] bytes = java.util.Base64.getDecoder().decode(base64);
    Files.write(png, bytes);
    java.awt.image.BufferedImage image =
        javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes));
    int background = image.getRGB(0, 0);
    int w = image.getWidth();
    int h = image.getHeight();
    for (int x = 0; x < w; x++) {
      for (int y : new int[] {0, 1, h - 2, h - 1}) {
        assertEquals(background, image.getRGB(x, y), "chart " + index + " drawn to its edge at ("
            + x + ", " + y + "): " + png);
      }
    }
    for (int y = 0; y < h; y++) {
      for (int x : new int[] {0, 1, w - 2, w - 1}) {
        assertEquals(background, image.getRGB(x, y), "chart " + index + " drawn to its edge at ("
            + x + ", " + y + "): " + png);
      }
    }
  }

  /**
   * Opens the report in headless Chromium and checks the screenshot: the charts are the only
   * coloured things on the page (text and tables are black, white and grey), so a page whose
   * images failed to decode has almost no coloured pixels.
   */
  private void assertChartsRenderInChromium(Path html) throws Exception {
    Path png = tmp.resolve("report.png");
    Process p = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
        "--hide-scrollbars", "--window-size=1280,12000", "--screenshot=" + png,
        html.toUri().toString()).redirectErrorStream(true)
        .redirectOutput(tmp.resolve("chromium.log").toFile()).start();
    assertTrue(p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "chromium timed out");
    assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("chromium.log")));
    java.awt.image.BufferedImage shot = javax.imageio.ImageIO.read(png.toFile());
    long coloured = 0;
    long dark = 0;
    for (int y = 0; y < shot.getHeight(); y += 2) {
      for (int x = 0; x < shot.getWidth(); x += 2) {
        int rgb = shot.getRGB(x, y);
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
          coloured++;
        }
        if (r + g + b < 200) {
          dark++;
        }
      }
    }
    long samples = (long) (shot.getWidth() / 2) * (shot.getHeight() / 2);
    assertTrue(dark > samples / 1000, "text rendered: " + dark + " of " + samples);
    assertTrue(coloured > samples / 200, "charts rendered: " + coloured + " coloured of "
        + samples);
  }
}
