package org.parallax.gpu;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code gpu-plan} found: for each distinct plan (stage) the job ran, every node RAPIDS
 * explained, and a count of executable operators on and off the GPU. Written as
 * {@code gpu-plan.json}.
 */
public final class GpuPlanReport {
  /** One planned query (or adaptive query stage) of the job. */
  public record Stage(int id, String root, int execs, int execsOnGpu,
      List<PlanOperator> operators, String explanation) {
    /** The executable operators that would fall back to the CPU. */
    public List<PlanOperator> fallbacks() {
      return operators.stream().filter(o -> !o.onGpu() && isExecutable(o)).toList();
    }
  }

  @JsonProperty public final String command;
  @JsonProperty public final String rapidsJar;
  @JsonProperty public final List<Stage> stages = new ArrayList<>();

  public GpuPlanReport(String command, String rapidsJar) {
    this.command = command;
    this.rapidsJar = rapidsJar;
  }

  /** Adds one explanation as a stage. */
  public void add(String explanation) {
    List<PlanOperator> ops = ExplainParser.parse(explanation);
    if (ops.isEmpty()) {
      return;
    }
    int execs = 0;
    int onGpu = 0;
    for (PlanOperator o : ops) {
      if (o.kind().equals("Exec")) {
        execs++;
        onGpu += o.onGpu() ? 1 : 0;
      }
    }
    stages.add(new Stage(stages.size() + 1, ops.get(0).name(), execs, onGpu, ops, explanation));
  }

  /** Execs and UDF-like expressions are what decide where work runs. */
  static boolean isExecutable(PlanOperator o) {
    return o.kind().equals("Exec") || (o.kind().equals("Expression") && !o.onGpu()
        && !o.reason().startsWith("could run"));
  }

  @JsonProperty("summary")
  public String summary() {
    StringBuilder sb = new StringBuilder();
    int execs = 0;
    int onGpu = 0;
    for (Stage s : stages) {
      execs += s.execs();
      onGpu += s.execsOnGpu();
      sb.append(String.format("stage %d (%s): %d/%d operators on GPU", s.id(), s.root(),
          s.execsOnGpu(), s.execs()));
      List<PlanOperator> fb = s.fallbacks();
      if (!fb.isEmpty()) {
        sb.append("; falls back:");
        for (PlanOperator o : fb) {
          sb.append("\n    ").append(o.kind()).append(' ').append(o.name()).append(": ")
              .append(o.reason());
        }
      }
      sb.append('\n');
    }
    sb.append(String.format("total: %d/%d operators on GPU in %d stages", onGpu, execs,
        stages.size()));
    return sb.toString();
  }
}
