package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code retrieval <job>}: sharded Lucene BM25 for Search-R1 corpora. */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
    description = "Sharded Lucene BM25 over Search-R1 corpora: index, search, serve, import-hotpotqa.",
    subcommands = {RetrievalIndexCommand.class, RetrievalSearchCommand.class,
        RetrievalServeCommand.class, RetrievalImportHotpotQaCommand.class})
public final class RetrievalCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "retrieval needs a job (index, search or serve); see --help");
  }
}
