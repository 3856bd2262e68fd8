package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code rollout <job>}: Search-R1 rollouts and their evaluation. */
@Command(name = "rollout", mixinStandardHelpOptions = true,
    description = "Search-R1 multi-turn search rollouts on Spark: eval.",
    subcommands = {RolloutEvalCommand.class})
public final class RolloutCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "rollout needs a job (eval); see --help");
  }
}
