package org.parallax.gpu;

/**
 * One node of a RAPIDS plan explanation: an operator ({@code Exec}), an expression, a partitioning
 * or an output, whether it would run on the GPU, and if not, RAPIDS' reason.
 *
 * @param name the Spark class, e.g. {@code HashAggregateExec}
 * @param kind {@code Exec}, {@code Expression}, {@code Partitioning}, {@code Output}, ...
 * @param onGpu true when RAPIDS would run it on the GPU
 * @param reason why it would not (null when it would)
 * @param depth nesting depth in the plan tree (0 for the root)
 * @param detail the expression text RAPIDS printed, if any
 */
public record PlanOperator(String name, String kind,
    @com.fasterxml.jackson.annotation.JsonProperty("on_gpu") boolean onGpu, String reason,
    int depth, String detail) {}
