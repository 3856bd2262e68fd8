package org.parallax.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.parallax.bench.AnseriniBench;
import org.parallax.bench.AnseriniPeer;
import org.parallax.bench.RetrievalBench;
import org.parallax.common.SparkSessions;
import org.parallax.recsys.RecsysDefaults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: runs the areas' benchmarks and rewrites BENCHMARKS.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run benchmarks against in-run baselines and write BENCHMARKS.md.")
public final class BenchCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--areas", defaultValue = "retrieval,rollout,recsys,avinfo", split = ",", paramLabel = "A,B",
      description = "Areas to benchmark: retrieval, rollout, recsys, avinfo, anserini (BM25 "
          + "index and search against Anserini run beside it; needs --anserini-jar and "
          + "--peer-java), server (the "
          + "retrieval server under batched and single-query traffic), dense (e5 encoding and "
          + "exact dense search), lexicon (avinfo lexicon on CMUdict), recsys-pipeline (recsys "
          + "pipeline per stage on MovieLens-small and a generated log), spark-api (E5Embedder "
          + "on a DataFrame against a per-row UDF and a plain DJL loop) (default: "
          + "${DEFAULT-VALUE}).")
  List<String> areas;

  @Option(names = "--ratio-scale", defaultValue = "100000", paramLabel = "N",
      description = "Scale of the baseline comparisons (default: ${DEFAULT-VALUE}).")
  long ratioScale;

  @Option(names = "--scales", defaultValue = "10000,100000,1000000", split = ",",
      paramLabel = "N,..", description = "Scales of the scaling table (default: ${DEFAULT-VALUE}).")
  long[] scales;

  @Option(names = "--rollout-passages", defaultValue = "100000", paramLabel = "N",
      description = "Corpus size of the rollout benchmark (default: ${DEFAULT-VALUE}).")
  long rolloutPassages;

  @Option(names = "--rollout-questions", defaultValue = "1000,10000,100000", split = ",",
      paramLabel = "N,..", description = "Question counts of the rollout benchmark "
          + "(default: ${DEFAULT-VALUE}).")
  long[] rolloutQuestions;

  @Option(names = "--recsys-scales", defaultValue = "100000,1000000,10000000", split = ",",
      paramLabel = "N,..", description = "Interaction counts of the recsys graph + features "
          + "scaling table (default: ${DEFAULT-VALUE}).")
  long[] recsysScales;

  @Option(names = "--recsys-score-interactions", defaultValue = "2500000", paramLabel = "N",
      description = "Interactions of the scoring comparison (users = N/25, items = N/100; "
          + "default: ${DEFAULT-VALUE}).")
  long recsysScoreInteractions;

  @Option(names = "--recsys-train-examples", defaultValue = "100000,1000000", split = ",",
      paramLabel = "N,..", description = "Example counts of the recsys training throughput "
          + "table (area recsys-train; default: ${DEFAULT-VALUE}).")
  long[] recsysTrainExamples;

  @Option(names = "--recsys-train-batches", defaultValue = "128,512", split = ",",
      paramLabel = "B,..", description = "Batch sizes of the recsys training throughput table "
          + "(default: ${DEFAULT-VALUE}).")
  int[] recsysTrainBatches;

  @Option(names = "--recsys-train-step-batches", defaultValue = "50", paramLabel = "N",
      description = "Batches of each training-step measurement of the recsys training "
          + "throughput table, streamed and on the device, twice each (default: "
          + "${DEFAULT-VALUE}).")
  int recsysTrainStepBatches;

  @Option(names = "--avinfo-frames", defaultValue = "1000000,10000000,100000000", split = ",",
      paramLabel = "N,..", description = "Frame counts of the avinfo stats benchmark "
          + "(default: ${DEFAULT-VALUE}).")
  long[] avinfoFrames;

  @Option(names = "--search-queries", defaultValue = "0", paramLabel = "N",
      description = "Questions of the retrieval search comparison: the generated ones cycled "
          + "to N with distinct ids (default: ${DEFAULT-VALUE}, the generated ones once).")
  int searchQueries;

  @Option(names = "--anserini-passages", defaultValue = "2000,1000000", split = ",",
      paramLabel = "N,..", description = "Corpus sizes of the anserini area "
          + "(default: ${DEFAULT-VALUE}).")
  long[] anseriniPassages;

  @Option(names = "--anserini-questions", defaultValue = "100000", paramLabel = "N",
      description = "Questions searched at each corpus size of the anserini area "
          + "(default: ${DEFAULT-VALUE}).")
  int anseriniQuestions;

  @Option(names = "--anserini-jar", paramLabel = "JAR",
      defaultValue = "${env:PARALLAX_ANSERINI_JAR:-" + AnseriniPeer.DEFAULT_JAR + "}",
      description = "Anserini's fatjar (io.anserini:anserini:" + AnseriniPeer.VERSION
          + ":jar:fatjar; bench/peers/fetch-anserini puts it in Maven's local repository) "
          + "(default: $PARALLAX_ANSERINI_JAR, else ${DEFAULT-VALUE}).")
  Path anseriniJar;

  @Option(names = "--peer-java", paramLabel = "JAVA",
      defaultValue = "${env:PARALLAX_PEER_JAVA:-" + AnseriniPeer.DEFAULT_JAVA + "}",
      description = "The java (21 or newer) that runs Anserini (default: $PARALLAX_PEER_JAVA, "
          + "else ${DEFAULT-VALUE}).")
  Path peerJava;

  @Option(names = "--server-passages", defaultValue = "20000", paramLabel = "N",
      description = "Passages of the server benchmark (default: ${DEFAULT-VALUE}).")
  long serverPassages;

  @Option(names = "--server-queries", defaultValue = "20480", paramLabel = "N",
      description = "Queries of the server benchmark (default: ${DEFAULT-VALUE}).")
  int serverQueries;

  @Option(names = "--server-batch", defaultValue = "512", paramLabel = "N",
      description = "Queries per request of the batched server client "
          + "(default: ${DEFAULT-VALUE}).")
  int serverBatch;

  @Option(names = "--dense-passages", defaultValue = "300", paramLabel = "N",
      description = "Passages encoded by the dense benchmark (default: ${DEFAULT-VALUE}).")
  long densePassages;

  @Option(names = "--dense-vectors", defaultValue = "100000", paramLabel = "N",
      description = "Vectors searched by the dense benchmark (default: ${DEFAULT-VALUE}).")
  int denseVectors;

  @Option(names = "--spark-api-texts", defaultValue = "2000", paramLabel = "N",
      description = "Texts embedded by the spark-api benchmark (default: ${DEFAULT-VALUE}).")
  long sparkApiTexts;

  @Option(names = "--clients", defaultValue = "8", paramLabel = "N",
      description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(names = "--lexicon", defaultValue = "data/lexicon", paramLabel = "DIR",
      description = "Directory with cmudict.dict and phoneme_viseme_maps.tsv for the lexicon "
          + "area (default: ${DEFAULT-VALUE}).")
  Path lexicon;

  @Option(names = "--movielens", defaultValue = "${env:PARALLAX_MOVIELENS}",
      paramLabel = "PATH", description = "MovieLens latest-small (its folder or ratings.csv) for "
          + "the recsys-pipeline area; not redistributable, so not shipped (default: "
          + "$PARALLAX_MOVIELENS, here ${DEFAULT-VALUE}).")
  Path movielens;

  @Option(names = "--recsys-pipeline-events", defaultValue = "40000", paramLabel = "N",
      description = "Generated interactions of the recsys-pipeline area "
          + "(default: ${DEFAULT-VALUE}).")
  long recsysPipelineEvents;

  @Option(names = "--recsys-pipeline-epochs", defaultValue = RecsysDefaults.EPOCHS,
      paramLabel = "N", description = "Training epochs of the recsys-pipeline area "
          + "(default: ${DEFAULT-VALUE}, the pipeline's).")
  int recsysPipelineEpochs;

  @Option(names = "--work", defaultValue = "target/bench", paramLabel = "DIR",
      description = "Scratch directory for generated data and indexes (default: ${DEFAULT-VALUE}).")
  Path work;

  @Option(names = "--report", defaultValue = "bench/last-run.md", paramLabel = "FILE",
      description = "Markdown file to write, all areas' latest sections (default: "
          + "${DEFAULT-VALUE}; BENCHMARKS.md holds the curated current results).")
  Path report;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--results", defaultValue = "bench/results", paramLabel = "DIR",
      description = "Where each area's section is kept, so areas can be re-run one at a time "
          + "(default: ${DEFAULT-VALUE}).")
  Path results;

  @Override
  public Integer call() throws Exception {
    if (areas.contains("recsys-pipeline")) {
      movielens = movieLensRatings();
    }
    String peerMissing = areas.contains("anserini")
        ? AnseriniPeer.missing(peerJava, anseriniJar) : null;
    if (peerMissing != null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), peerMissing);
    }
    Files.createDirectories(work);
    Files.createDirectories(results);
    String command = "bench/run --areas " + String.join(",", areas) + " --ratio-scale "
        + ratioScale + " --scales " + join(scales) + " --clients " + clients
        + (searchQueries > 0 ? " --search-queries " + searchQueries : "")
        + " --rollout-passages " + rolloutPassages + " --rollout-questions "
        + join(rolloutQuestions) + " --recsys-scales " + join(recsysScales)
        + " --recsys-score-interactions " + recsysScoreInteractions
        + " --recsys-train-examples " + join(recsysTrainExamples) + " --recsys-train-batches "
        + String.join(",", Arrays.stream(recsysTrainBatches).mapToObj(Integer::toString)
            .toList()) + " --recsys-train-step-batches " + recsysTrainStepBatches
        + " --avinfo-frames "
        + join(avinfoFrames) + (areas.contains("server") ? " --server-passages "
        + serverPassages + " --server-queries " + serverQueries + " --server-batch "
        + serverBatch : "") + (areas.contains("dense") ? " --dense-passages " + densePassages
        + " --dense-vectors " + denseVectors : "")
        + (areas.contains("lexicon") ? " --lexicon " + lexicon : "")
        + (areas.contains("spark-api") ? " --spark-api-texts " + sparkApiTexts : "")
        + (areas.contains("anserini") ? " --anserini-passages " + join(anseriniPassages)
        + " --anserini-questions " + anseriniQuestions : "")
        + (areas.contains("recsys-pipeline") ? " --movielens " + movielens
        + " --recsys-pipeline-events " + recsysPipelineEvents + " --recsys-pipeline-epochs "
        + recsysPipelineEpochs : "");
    for (String area : areas) {
      String section = switch (area) {
        case "retrieval" -> new RetrievalBench(SparkSessions.getOrCreate("bench"),
            work.resolve("retrieval"), seed).run(ratioScale, scales, clients, searchQueries);
        case "rollout" -> new org.parallax.bench.RolloutBench(SparkSessions.getOrCreate("bench"),
            work.resolve("rollout"), seed).run(rolloutPassages, rolloutQuestions);
        case "recsys" -> new org.parallax.bench.RecsysBench(SparkSessions.getOrCreate("bench"),
            work.resolve("recsys"), seed).run(recsysScales, recsysScoreInteractions, 32);
        case "recsys-train" -> new org.parallax.bench.RecsysTrainBench(
            SparkSessions.getOrCreate("bench"), work.resolve("recsys-train"), seed)
            .run(recsysTrainExamples, 32, 32, recsysTrainBatches, recsysTrainStepBatches);
        case "avinfo" -> new org.parallax.bench.AvinfoBench(SparkSessions.getOrCreate("bench"),
            work.resolve("avinfo"), seed).run(avinfoFrames);
        case "anserini" -> new AnseriniBench(SparkSessions.getOrCreate("bench"),
            work.resolve("anserini"), seed, peerJava, anseriniJar)
            .run(anseriniPassages, anseriniQuestions);
        case "server" -> new org.parallax.bench.ServerBench(SparkSessions.getOrCreate("bench"),
            work.resolve("server"), seed).run(serverPassages, serverQueries, clients, serverBatch);
        case "dense" -> new org.parallax.bench.DenseBench(SparkSessions.getOrCreate("bench"),
            work.resolve("dense"), seed).run(densePassages, denseVectors, 512);
        case "lexicon" -> new org.parallax.bench.LexiconBench(SparkSessions.getOrCreate("bench"),
            work.resolve("lexicon"), seed).run(lexicon);
        case "recsys-pipeline" -> new org.parallax.bench.RecsysPipelineBench(
            SparkSessions.getOrCreate("bench"), work.resolve("recsys-pipeline"), seed)
            .run(movielens, recsysPipelineEvents, recsysPipelineEpochs);
        case "spark-api" -> new org.parallax.bench.SparkApiBench(
            SparkSessions.getOrCreate("bench"), work.resolve("spark-api"), seed)
            .run(sparkApiTexts);
        default -> throw new IllegalArgumentException("no benchmark for area '" + area
            + "'; available: retrieval, anserini, rollout, recsys, recsys-train, avinfo, server, "
            + "dense, lexicon, recsys-pipeline, spark-api");
      };
      // The section's heading, then when, how and where it was measured, then the tables.
      int cut = section.indexOf("\n\n");
      String provenance = String.format("Run %s with `%s` on %s.%n%n", LocalDate.now(), command,
          org.parallax.bench.BenchMachine.describe());
      Files.writeString(results.resolve(area + ".md"), section.substring(0, cut + 2) + provenance
          + section.substring(cut + 2), StandardCharsets.UTF_8);
    }
    StringBuilder md = new StringBuilder("# Benchmarks\n\nEach section was written by "
        + "`bench/run` (which runs `submit/run bench`; Spark embedded, `local[*]`) and says when, "
        + "with which command and on which machine. Every ratio compares with a baseline measured "
        + "in the same run.\n\n");
    try (var files = Files.list(results)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        md.append(Files.readString(f, StandardCharsets.UTF_8).strip()).append("\n\n");
      }
    }
    Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
    spec.commandLine().getOut().println(md);
    spec.commandLine().getOut().println("bench: written to " + report);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private static String join(long[] values) {
    return String.join(",", Arrays.stream(values).mapToObj(Long::toString).toList());
  }

  /** The ratings file of {@code --movielens} (a folder or the file), or a usage error. */
  private Path movieLensRatings() {
    if (movielens == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--movielens: the "
          + "recsys-pipeline area needs MovieLens latest-small (not shipped: it may not be "
          + "redistributed); give its folder with --movielens or $PARALLAX_MOVIELENS");
    }
    Path ratings = Files.isDirectory(movielens) ? movielens.resolve("ratings.csv")
        : movielens;
    if (!Files.isRegularFile(ratings)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--movielens "
          + movielens + ": no ratings.csv there");
    }
    return ratings;
  }
}
