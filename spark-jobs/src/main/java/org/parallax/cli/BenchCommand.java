package org.parallax.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.parallax.bench.RetrievalBench;
import org.parallax.common.SparkSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: runs the areas' benchmarks and rewrites BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run benchmarks against in-run baselines and write BENCHMARKS.md.")
public final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--areas", defaultValue = "retrieval", split = ",", paramLabel = "A,B",
      description = "Areas to benchmark (default: ${DEFAULT-VALUE}).")
  List<String> areas;

  @Option(names = "--ratio-scale", defaultValue = "100000", paramLabel = "N",
      description = "Scale of the baseline comparisons (default: ${DEFAULT-VALUE}).")
  long ratioScale;

  @Option(names = "--scales", defaultValue = "10000,100000,1000000", split = ",",
      paramLabel = "N,..", description = "Scales of the scaling table (default: ${DEFAULT-VALUE}).")
  long[] scales;

  @Option(names = "--clients", defaultValue = "8", paramLabel = "N",
      description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--work", defaultValue = "target/bench", paramLabel = "DIR",
      description = "Scratch directory for generated data and indexes (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--report", defaultValue = "BENCHMARKS.md", paramLabel = "FILE",
      description = "Markdown file to write (default: ${DEFAULT-VALUE}).")
  Path report;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed.")
  long seed;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(work);
    StringBuilder md = new StringBuilder("# Benchmarks\n\n");
    md.append("Written by `bench/run` (").append(LocalDate.now()).append("): `submit/run bench")
        .append(" --areas ").append(String.join(",", areas)).append(" --ratio-scale ")
        .append(ratioScale).append(" --scales ")
        .append(String.join(",", Arrays.stream(scales).mapToObj(Long::toString).toList()))
        .append(" --clients ").append(clients).append("`.\n\nMachine: ")
        .append(org.parallax.bench.BenchMachine.describe()).append(". Spark runs embedded, ")
        .append("`local[*]`. Every ratio compares with a baseline measured in the same run.\n\n");
    for (String area : areas) {
      switch (area) {
        case "retrieval" -> md.append(new RetrievalBench(SparkSessions.getOrCreate("bench"),
            work.resolve("retrieval"), seed).run(ratioScale, scales, clients));
        default -> throw new IllegalArgumentException("no benchmark for area '" + area
            + "'; available: retrieval");
      }
    }
    Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
    spec.commandLine().getOut().println(md);
    spec.commandLine().getOut().println("bench: written to " + report);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
