package org.parallax.cli;

import picocli.CommandLine.Command;

/** {@code avinfo <job>}: information statistics of audio, visual and text units. */
@Command(name = "avinfo", mixinStandardHelpOptions = true,
    description = "Audio-visual information statistics: units, stats, ksg, lexicon, grid.",
    subcommands = {AvinfoUnitsCommand.class, AvinfoStatsCommand.class,
        AvinfoKsgCommand.class, AvinfoLexiconCommand.class, AvinfoGridCommand.class})
public final class AvinfoCommand extends GroupCommand {}
