package org.parallax.cli;

import org.parallax.avinfo.LexiconJob;
import org.parallax.avinfo.LexiconOptions;
import org.parallax.common.Job;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code avinfo lexicon}: phoneme/viseme entropies and homophenes of a dictionary. */
@Command(name = "lexicon", mixinStandardHelpOptions = true,
    description = "H(phoneme), H(viseme), H(phoneme|viseme), homophene classes and "
        + "H(word|viseme string) of a pronouncing dictionary under each viseme map.")
public final class AvinfoLexiconCommand extends JobCommand<LexiconOptions> {
  @Mixin CommonOptionsMixin common;

  @Option(names = "--dictionary", required = true, paramLabel = "PATH",
      description = "CMUdict-format pronouncing dictionary.")
  String dictionary;

  @Option(names = "--maps", required = true, paramLabel = "PATH",
      description = "Phone-to-viseme TSV: phone, then one column per map.")
  String maps;

  @Option(names = "--base", defaultValue = "2", paramLabel = "B",
      description = "Logarithm base (default: ${DEFAULT-VALUE}: bits).")
  double base;

  @Option(names = "--venn-map", defaultValue = "lee", paramLabel = "MAP",
      description = "Map of the report's information diagram (default: ${DEFAULT-VALUE}).")
  String vennMap;

  @Option(names = "--top-classes", defaultValue = "20", paramLabel = "N",
      description = "Largest homophene classes in the report (default: ${DEFAULT-VALUE}).")
  int topClasses;

  @Override
  protected Job<LexiconOptions> job() {
    return new LexiconJob();
  }

  @Override
  protected LexiconOptions options() {
    return new LexiconOptions(common.toOptions(), dictionary, maps, base, vennMap, topClasses);
  }
}
