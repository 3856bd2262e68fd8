package org.parallax.gpu;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the plan explanations RAPIDS logs (logger {@code com.nvidia.spark.rapids.GpuOverrides})
 * while a job runs, each distinct text once: adaptive execution re-plans the same query stages
 * and would otherwise repeat them. Install before the job, {@link #close()} after.
 */
final class ExplainCapture extends AbstractAppender implements AutoCloseable {
  static final String LOGGER = "com.nvidia.spark.rapids.GpuOverrides";
  private final Set<String> explanations = new LinkedHashSet<>();
  private final LoggerContext context;

  ExplainCapture() {
    super("parallax-gpu-plan", null, null, true, Property.EMPTY_ARRAY);
    context = (LoggerContext) LogManager.getContext(false);
    start();
    Configuration config = context.getConfiguration();
    LoggerConfig logger = new LoggerConfig(LOGGER, Level.WARN, false);
    logger.addAppender(this, Level.WARN, null);
    config.addLogger(LOGGER, logger);
    context.updateLoggers();
  }

  @Override
  public void append(LogEvent event) {
    String text = event.getMessage().getFormattedMessage();
    if (text.contains(" run on GPU")) {
      synchronized (explanations) {
        explanations.add(text.strip());
      }
    }
  }

  List<String> explanations() {
    synchronized (explanations) {
      return new ArrayList<>(explanations);
    }
  }

  @Override
  public void close() {
    context.getConfiguration().removeLogger(LOGGER);
    context.updateLoggers();
    stop();
  }
}
