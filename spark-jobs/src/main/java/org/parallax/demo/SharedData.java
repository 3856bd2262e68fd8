package org.parallax.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the small real data sets the demo uses beside generated data, read where they are (not
 * copied): {@code $PARALLAX_SHARED_DATA}, else the {@code parallax.shared.data} property, else
 * {@code ../shared/data} beside the repository.
 */
final class SharedData {
  private SharedData() {}

  static Path root() {
    String env = System.getenv("PARALLAX_SHARED_DATA");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String prop = System.getProperty("parallax.shared.data");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of(System.getProperty("parallax.root", "."), "..", "shared", "data");
  }

  /** MovieLens latest-small ratings, or null when they are not there. */
  static Path movieLens() {
    Path p = root().resolve("movielens-small/ratings.csv");
    return Files.isRegularFile(p) ? p.normalize() : null;
  }

  /** The HotpotQA sample, or null when it is not there. */
  static Path hotpotQa() {
    Path p = root().resolve("hotpotqa/hotpot_dev_distractor_v1.first53.json");
    return Files.isRegularFile(p) ? p.normalize() : null;
  }
}
