package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code avinfo <job>}: information statistics of audio, visual and text units. */
@Command(name = "avinfo", mixinStandardHelpOptions = true,
    description = "Audio-visual information statistics: stats.",
    subcommands = {AvinfoStatsCommand.class})
public final class AvinfoCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "avinfo needs a job (stats); see --help");
  }
}
