package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code retrieval <job>}: sharded Lucene BM25 for Search-R1 corpora. */
@Command(name = "retrieval", mixinStandardHelpOptions = true,
    description = "Sharded Lucene BM25 over Search-R1 corpora: index, search, serve, import-hotpotqa.",
    subcommands = {RetrievalIndexCommand.class, RetrievalSearchCommand.class,
        RetrievalServeCommand.class, RetrievalImportHotpotQaCommand.class})
public final class RetrievalCommand extends GroupCommand {}
