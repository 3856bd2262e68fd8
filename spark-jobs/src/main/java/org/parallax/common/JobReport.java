package org.parallax.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a job did, written as {@code <out>/_report.json}: its inputs with row and quarantine counts,
 * output counts, timed stages, metrics, the configuration it ran with and the versions of the stack.
 * A job fills it while it runs; {@link JobRunner} stamps the times and writes it. Not thread-safe:
 * the driver thread owns it.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public final class JobReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One input as read: its rows, how many went to quarantine and why. */
  public record Input(
      String name,
      String path,
      String format,
      long rows,
      long accepted,
      long quarantined,
      String quarantinePath,
      Map<String, Long> reasons) {}

  /** One timed stage of the job. */
  public record Stage(String name, double seconds) {}

  @JsonProperty public final String job;
  @JsonProperty public String status = "running";
  @JsonProperty public String error;
  @JsonProperty public String started = Instant.now().toString();
  @JsonProperty public String finished;
  @JsonProperty public double seconds;
  /**
   * Spark jobs started and stages run ({@link SparkWork}) during the run; null when Spark's
   * listener bus did not deliver every event in time to count them.
   */
  @JsonProperty public Integer sparkJobs;
  @JsonProperty public Integer sparkStages;
  @JsonProperty public final List<Input> inputs = new ArrayList<>();
  @JsonProperty public final Map<String, Object> counts = new LinkedHashMap<>();
  @JsonProperty public final List<Stage> stages = new ArrayList<>();
  @JsonProperty public final Map<String, Object> metrics = new LinkedHashMap<>();
  @JsonProperty public final Map<String, Object> config = new LinkedHashMap<>();
  @JsonProperty public final Map<String, String> versions = Versions.all();
  @JsonProperty public final Map<String, String> outputs = new LinkedHashMap<>();

  /** Leftovers of earlier runs of this output (stale staging directories) that this run removed. */
  @JsonProperty public final List<String> cleaned = new ArrayList<>();

  public JobReport(String job) {
    this.job = job;
  }

  /**
   * Points the inputs' quarantine paths under {@code to} instead of {@code from}: a failed run
   * keeps its quarantined rows in {@code <out>._failed/}, not in the output it never committed.
   */
  public void relocateQuarantine(String from, String to) {
    for (int i = 0; i < inputs.size(); i++) {
      Input in = inputs.get(i);
      if (in.quarantinePath() != null && in.quarantinePath().startsWith(from + "/")) {
        inputs.set(i, new Input(in.name(), in.path(), in.format(), in.rows(), in.accepted(),
            in.quarantined(), to + in.quarantinePath().substring(from.length()), in.reasons()));
      }
    }
  }

  /**
   * Runs one named stage and records its wall time. The Spark jobs it launches are described as
   * {@code "<job>: <stage>"} (the Spark UI's and History Server's job description, also in the
   * REST API), so a person or a tool can tell which parallax stage a Spark job belongs to.
   */
  public <T> T time(String stage, Supplier<T> work) {
    long t0 = System.nanoTime();
    scala.Option<org.apache.spark.sql.SparkSession> session =
        org.apache.spark.sql.SparkSession.getActiveSession().orElse(
            org.apache.spark.sql.SparkSession::getDefaultSession);
    org.apache.spark.SparkContext sc = session.isDefined()
        ? session.get().sparkContext() : null;
    String before = sc == null ? null : sc.getLocalProperty(DESCRIPTION);
    if (sc != null) {
      sc.setJobDescription(job + ": " + stage);
    }
    try {
      return work.get();
    } finally {
      if (sc != null) {
        sc.setLocalProperty(DESCRIPTION, before);
      }
      stages.add(new Stage(stage, (System.nanoTime() - t0) / 1e9));
    }
  }

  /** Spark's local property behind {@code setJobDescription}. */
  private static final String DESCRIPTION = "spark.job.description";

  /** Runs one named stage that returns nothing and records its wall time. */
  public void time(String stage, Runnable work) {
    time(stage, () -> {
      work.run();
      return null;
    });
  }

  public JobReport count(String name, long value) {
    counts.put(name, value);
    return this;
  }

  public JobReport metric(String name, Object value) {
    metrics.put(name, value);
    return this;
  }

  public JobReport config(String name, Object value) {
    config.put(name, value);
    return this;
  }

  public JobReport output(String name, String path) {
    outputs.put(name, path);
    return this;
  }

  /** Total rows sent to quarantine over all inputs. */
  public long quarantinedRows() {
    return inputs.stream().mapToLong(Input::quarantined).sum();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads a report back, as a tree (tests and the demo's HTML read reports this way). */
  public static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ObjectMapper json() {
    return JSON;
  }
}
