package org.parallax.common;

import java.awt.AlphaComposite;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * A three-set Venn-style diagram as a PNG: three overlapping circles (one per modality) with the
 * value of each of the seven regions written in it, for information diagrams of entropies,
 * conditional informations and the co-information at the centre.
 */
public final class VennChart {
  private static final int W = 640;
  private static final int H = 560;

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private VennChart() {}

  /**
   * @param title the chart's title
   * @param sets names of the three sets (top left, top right, bottom)
   * @param regions values of the regions in the order: 1 only, 2 only, 3 only, 1&2 only,
   *     1&3 only, 2&3 only, all three
   */
  public static byte[] png(String title, String[] sets, String[] regions) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
        RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    int r = 150;
    int[][] centres = {{250, 220}, {390, 220}, {320, 340}};
    Color[] colours = {new Color(66, 133, 244), new Color(219, 68, 55), new Color(15, 157, 88)};
    g.setComposite(AlphaComposite.getInstance(AlphaComposite.SRC_OVER, 0.25f));
    for (int i = 0; i < 3; i++) {
      g.setColor(colours[i]);
      g.fillOval(centres[i][0] - r, centres[i][1] - r, 2 * r, 2 * r);
    }
    g.setComposite(AlphaComposite.SrcOver);
    g.setStroke(new BasicStroke(2f));
    for (int i = 0; i < 3; i++) {
      g.setColor(colours[i].darker());
      g.drawOval(centres[i][0] - r, centres[i][1] - r, 2 * r, 2 * r);
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
    centred(g, title, W / 2, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    centred(g, sets[0], 120, 80);
    centred(g, sets[1], 520, 80);
    centred(g, sets[2], 320, 530);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
    int[][] at = {{190, 190}, {450, 190}, {320, 420}, {320, 165}, {245, 315}, {395, 315},
        {320, 262}};
    for (int i = 0; i < 7; i++) {
      centred(g, regions[i], at[i][0], at[i][1]);
    }
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode the Venn chart", e);
    }
    return out.toByteArray();
  }

  private static void centred(Graphics2D g, String text, int x, int y) {
    FontMetrics m = g.getFontMetrics();
    g.drawString(text, x - m.stringWidth(text) / 2, y);
  }
}
