package org.parallax.cli;

import picocli.CommandLine.Option;

/** {@code --features} and {@code --format}: the per-frame feature input of avinfo units and ksg. */
public final class FeaturesMixin {
  @Option(names = "--features", required = true, paramLabel = "PATH",
      description = "Per-frame features: utterance_id, speaker_id, frame, modality, vector.")
  String features;

  @Option(names = "--format", paramLabel = "FMT", description = "parquet, jsonl or csv "
      + "(default: from the extension or the folder's data files, else parquet).")
  String format;
}
