package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code avinfo <job>}: information statistics of audio, visual and text units. */
@Command(name = "avinfo", mixinStandardHelpOptions = true,
    description = "Audio-visual information statistics: stats.",
    subcommands = {AvinfoUnitsCommand.class, AvinfoStatsCommand.class})
public final class AvinfoCommand extends GroupCommand {}
