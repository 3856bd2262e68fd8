package org.parallax.cli;

import org.parallax.common.Job;
import org.parallax.retrieval.HotpotQaImportJob;
import org.parallax.retrieval.HotpotQaOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code retrieval import-hotpotqa}: HotpotQA to a Search-R1 corpus and QA set. */
@Command(name = "import-hotpotqa", mixinStandardHelpOptions = true,
    description = "Turn a HotpotQA JSON file into a Search-R1 corpus (its context paragraphs) "
        + "and QA set.")
public final class RetrievalImportHotpotQaCommand extends JobCommand<HotpotQaOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--input", required = true, paramLabel = "FILE",
      description = "HotpotQA JSON (e.g. hotpot_dev_distractor_v1.json).")
  String input;

  @Override
  protected Job<HotpotQaOptions> job() {
    return new HotpotQaImportJob();
  }

  @Override
  protected HotpotQaOptions options() {
    return new HotpotQaOptions(common.toOptions(), input);
  }
}
