package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code recsys <job>}: the ContextGNN pipeline's stages. */
@Command(name = "recsys", mixinStandardHelpOptions = true,
    description = "ContextGNN recommendation graphs: graph, features, eval (baselines).",
    subcommands = {RecsysGraphCommand.class, RecsysFeaturesCommand.class,
        RecsysEvalCommand.class})
public final class RecsysCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "recsys needs a job; see --help");
  }
}
