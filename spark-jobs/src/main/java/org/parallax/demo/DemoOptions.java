package org.parallax.demo;

/**
 * Options of {@code demo}.
 *
 * @param out directory for the demo's data, job outputs and {@code report.html}; replaced on re-run
 * @param scale scale factor: 1 is a laptop-sized minute-long run
 * @param seed seed for every generator
 */
public record DemoOptions(String out, double scale, long seed) {
  public DemoOptions {
    if (scale <= 0) {
      throw new IllegalArgumentException("--scale must be positive, got " + scale);
    }
  }
}
