package org.parallax.datagen;

import java.io.UncheckedIOException;
import org.parallax.common.JobReport;

/** Pretty JSON for the small files generators write beside their data. */
final class Json {
  private Json() {}

  static String write(Object value) {
    try {
      return JobReport.json().writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
