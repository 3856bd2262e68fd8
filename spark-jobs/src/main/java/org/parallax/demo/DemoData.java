package org.parallax.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the small real data sets the demo uses beside generated data. Those whose licence allows
 * it ship in the repository's {@code data/} folder (found under the {@code parallax.root} property
 * that {@code submit/run} sets); MovieLens may not be redistributed, so it is read only where
 * {@code $PARALLAX_MOVIELENS} points (the {@code movielens-small} folder or its {@code ratings.csv}).
 */
final class DemoData {
  /** The variable naming a MovieLens latest-small copy; the demo's MovieLens rows need it. */
  static final String MOVIELENS_VARIABLE = "PARALLAX_MOVIELENS";

  private DemoData() {}

  /** The repository's {@code data/} folder. */
  static Path bundled() {
    return Path.of(System.getProperty("parallax.root", "."), "data");
  }

  /** MovieLens latest-small ratings, or null when {@code $PARALLAX_MOVIELENS} names none. */
  static Path movieLens() {
    String env = System.getenv(MOVIELENS_VARIABLE);
    if (env == null || env.isBlank()) {
      return null;
    }
    Path p = Path.of(env);
    if (Files.isDirectory(p)) {
      p = p.resolve("ratings.csv");
    }
    return Files.isRegularFile(p) ? p.normalize() : null;
  }

  /** The HotpotQA sample shipped in {@code data/hotpotqa}, or null when it is not there. */
  static Path hotpotQa() {
    Path p = bundled().resolve("hotpotqa/hotpot_dev_distractor_v1.first53.json");
    return Files.isRegularFile(p) ? p.normalize() : null;
  }
}
