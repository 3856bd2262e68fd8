package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code rollout <job>}: Search-R1 rollouts and their evaluation. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = "Search-R1 multi-turn search rollouts on Spark: eval.",
    subcommands = {RolloutEvalCommand.class})
public final class RolloutCommand extends GroupCommand {}
