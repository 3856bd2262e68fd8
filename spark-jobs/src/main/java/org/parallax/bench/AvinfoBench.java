package org.parallax.bench;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.parallax.avinfo.StatsJob;
import org.parallax.avinfo.StatsOptions;
import org.parallax.common.CommonOptions;
import org.parallax.common.JobReport;
import org.parallax.common.JobRunner;
import org.parallax.common.SparkWork;
import org.parallax.datagen.AvinfoGenerator;
import org.parallax.datagen.DatagenJob;
import org.parallax.datagen.DatagenOptions;

/**
 * The AV information statistics benchmark: the {@code avinfo stats} job (every estimate, the
 * jackknife and the nulls; without and with a bootstrap of 100 replicates, its Spark jobs and
 * stages counted) over growing numbers of generated frames, against the engine's floor (one
 * read and one joint count) and a single-threaded in-memory counter in the same run: the same frames
 * (regenerated in the driver, untimed) counted into a dense joint table, the marginal tables
 * summed from it and the seven plug-in entropies taken. The counter only works when the
 * frames fit in memory and the unit vocabularies are small enough for a dense table; the job
 * reads Parquet and counts sparse tables of any size.
 */
public final class AvinfoBench {
  private final SparkSession spark;
  private final Path work;
  private final long seed;

  public AvinfoBench(SparkSession spark, Path work, long seed) {
    this.spark = spark;
    this.work = work;
    this.seed = seed;
  }

  /**
   * Scales up to this many frames are timed in {@link #ROUNDS} interleaved rounds (job, engine
   * floor, per-utterance count, then again), each figure the faster of its rounds; above it, one
   * round, after the smaller scales' rounds.
   */
  static final long REPEATED_UP_TO = 10_000_000;
  static final int ROUNDS = 2;

  /** One timed {@code --bootstrap 0} job: its report, CPU seconds and Spark work. */
  private record TimedJob(JobReport report, double cpu, long jobs, long stages) {}

  public String run(long[] scales) {
    BenchTable t = new BenchTable("frames", "rounds", "stats job s", "job CPU s", "Spark jobs",
        "stages", "engine floor s", "job / floor", "per-utterance count s",
        "job / per-utterance count", "first round: job s", "first round: job / per-utterance count",
        "`--bootstrap 100` s", "its CPU s", "bootstrap 100 / 0",
        "job frames/s", "in-memory counter s", "counter / job speed", "H(A,V,T) job",
        "H(A,V,T) counter");
    StringBuilder byStage = new StringBuilder();
    // One untimed job on small frames first, so that no timed run pays Spark's first-use costs.
    Path warm = work.resolve("frames-warm-up");
    JobRunner.run(spark, new DatagenJob("avinfo"), new DatagenOptions("avinfo",
        CommonOptions.replacing(warm.toString(), seed), 100_000, "parquet"));
    stats(warm, "stats-warm-up", 10);
    floor(warm.resolve("frames").toString());
    perUtteranceCount(warm.resolve("frames").toString());
    for (long n : scales) {
      Path dir = work.resolve("frames-" + n);
      JobRunner.run(spark, new DatagenJob("avinfo"), new DatagenOptions("avinfo",
          CommonOptions.replacing(dir.toString(), seed), n, "parquet"));
      String frameDir = dir.resolve("frames").toString();
      // The first round's job pays most of the JIT's compilations at this size, its floors
      // after it do not: rounds interleaved, the faster of each, so that both run warm.
      int rounds = n <= REPEATED_UP_TO ? ROUNDS : 1;
      TimedJob job = null;
      double floor = Double.MAX_VALUE;
      double perUtterance = Double.MAX_VALUE;
      double firstJob = 0;
      double firstPerUtterance = 0;
      for (int round = 0; round < rounds; round++) {
        TimedJob j = timedStats(dir, n);
        floor = Math.min(floor, floor(frameDir));
        double u = perUtteranceCount(frameDir);
        perUtterance = Math.min(perUtterance, u);
        if (round == 0) {
          firstJob = j.report().seconds;
          firstPerUtterance = u;
        }
        job = job == null || j.report().seconds < job.report().seconds ? j : job;
      }
      JobReport r = job.report();
      long frames = ((Number) r.counts.get("frames")).longValue();
      @SuppressWarnings("unchecked")
      double jobH = ((Map<String, Map<String, Double>>) r.metrics.get("measures"))
          .get("H(A,V,T)").get("plug_in");
      double bootCpu0 = cpuSeconds();
      JobReport boot = stats(dir, "stats-boot-" + n, 100);
      double bootCpu = cpuSeconds() - bootCpu0;
      Counted c = count(n);
      t.row(frames, rounds, r.seconds, job.cpu(), job.jobs(), job.stages(), floor,
          r.seconds / floor, perUtterance, r.seconds / perUtterance, firstJob,
          firstJob / firstPerUtterance, boot.seconds, bootCpu, boot.seconds / r.seconds,
          frames / r.seconds, c.seconds, (c.frames / c.seconds) / (frames / r.seconds), jobH,
          c.hAvt);
      byStage.append(String.format("- %,d frames: `--bootstrap 0` %s; `--bootstrap 100` %s%n",
          frames, stages(r), stages(boot)));
    }
    return String.format("## AV information statistics%n%n"
        + "Generated aligned unit streams (`datagen avinfo`: 16 audio, 5 visual, 12 text units, "
        + "75 frames per utterance on average). The job is `avinfo stats` end to end (Parquet "
        + "read once with row checks; on CPUs frames folded into runs within each input "
        + "partition, one record per utterance, kept; the whole table and the per-speaker and "
        + "per-source tables summed from the records; the jackknife over utterances; the four "
        + "nulls from one exchange of the records by derangement bucket; reports), with `--bootstrap 0` and, on the same frames, `--bootstrap 100` (issue 12 "
        + "asks for at most 2x), after an untimed warm-up job and floors on 100,000 frames "
        + "in the same JVM. At scales up to " + REPEATED_UP_TO + " frames the `--bootstrap 0` "
        + "job, the engine floor and the per-utterance count run in " + ROUNDS + " interleaved "
        + "rounds (job, floor, count, job, floor, count) and each is given as the faster of its "
        + "rounds, so that both the job and the floors run with the JIT's code for that size "
        + "(in the first round the job pays most of those compilations and the floors after it "
        + "do not: the first round's job and ratio, as this bench measured before, are shown "
        + "too); above, one round, after the smaller scales' rounds. The `--bootstrap 100` "
        + "job runs once, after the rounds. Spark jobs, stages and CPU seconds are those of "
        + "the `--bootstrap 0` run given; CPU "
        + "seconds are the JVM's (driver and local executors) during each job, less sensitive "
        + "than wall time to other processes on the machine. "
        + "The engine floor is one Spark read of "
        + "the same Parquet plus one groupBy(audio_unit, visual_unit, text_unit).count() "
        + "collected, in the same run (issue 12 asks for job / floor <= 3); the per-utterance "
        + "count is one read of the same Parquet plus groupBy(utterance_id, audio_unit, "
        + "visual_unit, text_unit).count() counted, the least the job's utterance-level "
        + "statistics (jackknife, nulls) start from. The in-memory counter is one Java thread "
        + "over int arrays already in memory (generation untimed): a dense joint table, marginals "
        + "summed from it, seven plug-in entropies; both report H(A,V,T) in bits as a check that "
        + "they counted the same frames.%n%n%s%nSeconds by stage of the job:%n%n%s",
        t.markdown(), byStage);
  }

  /** One {@code --bootstrap 0} job on the frames in {@code dir}, timed. */
  private TimedJob timedStats(Path dir, long n) {
    double cpu0 = cpuSeconds();
    JobReport r;
    SparkWork work;
    try (SparkWork w = SparkWork.start(spark.sparkContext())) {
      r = stats(dir, "stats-" + n, 0);
      work = w;
    }
    return new TimedJob(r, cpuSeconds() - cpu0, work.jobs(), work.stages());
  }

  private JobReport stats(Path dir, String out, int bootstrap) {
    return JobRunner.run(spark, new StatsJob(), new StatsOptions(
        CommonOptions.replacing(work.resolve(out).toString(), seed),
        dir.resolve("frames").toString(), "parquet", 2, bootstrap, 0.95));
  }

  /**
   * CPU seconds this JVM (driver and local executors) has used: the work of a job whatever
   * else shares the machine, where wall time is not.
   */
  private static double cpuSeconds() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }

  /** The report's timed stages, and the rest of the job's time. */
  private static String stages(JobReport r) {
    StringBuilder sb = new StringBuilder();
    double timed = 0;
    for (JobReport.Stage s : r.stages) {
      sb.append(String.format("%s %.1f, ", s.name(), s.seconds()));
      timed += s.seconds();
    }
    return sb.append(String.format("rest %.1f", r.seconds - timed)).toString();
  }

  /**
   * The engine's floor for the same work: one Spark read of the same Parquet and one
   * {@code groupBy(audio_unit, visual_unit, text_unit).count()}, collected.
   */
  private double floor(String frames) {
    long start = System.nanoTime();
    long cells = spark.read().parquet(frames).groupBy("audio_unit", "visual_unit", "text_unit")
        .count().collectAsList().size();
    if (cells == 0) {
      throw new IllegalStateException("no frames in " + frames);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * The plainest Spark program for the least the job's utterance-level statistics need: one
   * read of the same Parquet and the joint table of every utterance,
   * {@code groupBy(utterance_id, audio_unit, visual_unit, text_unit).count()}, counted (the
   * delete-one-utterance jackknife and the shuffled nulls are computed from per-utterance
   * tables; the one-count floor has none).
   */
  private double perUtteranceCount(String frames) {
    long start = System.nanoTime();
    long rows = spark.read().parquet(frames).groupBy("utterance_id", "audio_unit",
        "visual_unit", "text_unit").count().count();
    if (rows == 0) {
      throw new IllegalStateException("no frames in " + frames);
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private record Counted(long frames, double seconds, double hAvt) {}

  private Counted count(long n) {
    int[][] units = new int[3][(int) Math.min(Integer.MAX_VALUE - 8, n * 3 / 2 + 1000)];
    long[] size = {0};
    AvinfoGenerator.forEachFrame(seed, n, (a, v, t) -> {
      int i = (int) size[0]++;
      units[0][i] = a;
      units[1][i] = v;
      units[2][i] = t;
    });
    int frames = (int) size[0];
    long start = System.nanoTime();
    int ka = 0;
    int kv = 0;
    int kt = 0;
    for (int i = 0; i < frames; i++) {
      ka = Math.max(ka, units[0][i] + 1);
      kv = Math.max(kv, units[1][i] + 1);
      kt = Math.max(kt, units[2][i] + 1);
    }
    long[] joint = new long[ka * kv * kt];
    for (int i = 0; i < frames; i++) {
      joint[(units[0][i] * kv + units[1][i]) * kt + units[2][i]]++;
    }
    long[][] tables = {new long[ka], new long[kv], new long[kt], new long[ka * kv],
        new long[ka * kt], new long[kv * kt]};
    for (int a = 0; a < ka; a++) {
      for (int v = 0; v < kv; v++) {
        for (int t = 0; t < kt; t++) {
          long c = joint[(a * kv + v) * kt + t];
          tables[0][a] += c;
          tables[1][v] += c;
          tables[2][t] += c;
          tables[3][a * kv + v] += c;
          tables[4][a * kt + t] += c;
          tables[5][v * kt + t] += c;
        }
      }
    }
    double hAvt = entropyBits(joint, frames);
    double check = 0;
    for (long[] table : tables) {
      check += entropyBits(table, frames);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (Double.isNaN(check)) {
      throw new IllegalStateException("entropy is NaN");
    }
    return new Counted(frames, seconds, hAvt);
  }

  private static double entropyBits(long[] counts, long n) {
    double h = 0;
    for (long c : counts) {
      if (c > 0) {
        h -= (double) c / n * Math.log((double) c / n);
      }
    }
    return h / Math.log(2);
  }
}
