package org.parallax.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code parallax}, {@code retrieval}, ...): run on its
 * own it is bad usage (exit status 2), naming the subcommands to choose from.
 */
abstract class GroupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), spec.qualifiedName() + " needs one of "
        + spec.subcommands().keySet().stream().filter(n -> !n.equals("help")).toList()
        + "; see --help");
  }
}
