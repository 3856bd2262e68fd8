package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code recsys <job>}: the ContextGNN pipeline's stages. */
@Command(name = "recsys", mixinStandardHelpOptions = true,
    description = "ContextGNN recommendation graphs: graph, features, train, score, eval.",
    subcommands = {RecsysGraphCommand.class, RecsysFeaturesCommand.class,
        RecsysTrainCommand.class, RecsysScoreCommand.class, RecsysEvalCommand.class})
public final class RecsysCommand extends GroupCommand {}
