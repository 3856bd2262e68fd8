package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code recsys <job>}: the ContextGNN pipeline's stages. */
@Command(name = "recsys", mixinStandardHelpOptions = true,
    description = "ContextGNN recommendation graphs: graph, features, eval (baselines).",
    subcommands = {RecsysGraphCommand.class, RecsysFeaturesCommand.class,
        RecsysEvalCommand.class})
public final class RecsysCommand extends GroupCommand {}
