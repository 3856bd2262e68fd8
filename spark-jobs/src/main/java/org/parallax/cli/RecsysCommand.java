package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code recsys <job>}: the ContextGNN pipeline's stages. */
@Command(name = "recsys", mixinStandardHelpOptions = true,
    description = "ContextGNN recommendation graphs: graph, features, train, score, eval, "
        + "pipeline (all of them).",
    subcommands = {RecsysGraphCommand.class, RecsysFeaturesCommand.class,
        RecsysTrainCommand.class, RecsysScoreCommand.class, RecsysEvalCommand.class,
        RecsysPipelineCommand.class})
public final class RecsysCommand extends GroupCommand {}
