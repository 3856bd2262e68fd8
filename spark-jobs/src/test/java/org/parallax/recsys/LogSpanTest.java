package org.parallax.recsys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Timestamp;
import org.junit.jupiter.api.Test;

/** The split arithmetic of {@link LogSpan} at its boundaries, without Spark. */
class LogSpanTest {
  private static final long DAY = 86_400L;
  private static final long START = 1_451_865_600L; // 2016-01-04T00:00:00Z

  @Test
  void aLogOfThreeWindowsHoldsExactlyOneTrainingCutoff() {
    LogSpan exact = new LogSpan(START, START + 21 * DAY);
    assertEquals(7, exact.longestWindowDays());
    assertEquals(1, exact.trainCutoffsWithHistory(7, 20));
    exact.requireTrainingCutoff(7);
    LogSpan short1 = new LogSpan(START, START + 21 * DAY - 1);
    assertEquals(6, short1.longestWindowDays());
    assertEquals(0, short1.trainCutoffsWithHistory(7, 20));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> short1.requireTrainingCutoff(7));
    assertEquals("--window-days 7 leaves no training cutoff in a log spanning 20 days "
        + "(2016-01-04T00:00:00Z to 2016-01-24T23:59:59Z); at most 6 fits", e.getMessage());
  }

  @Test
  void trainingCutoffsAreCappedByTheSpanAndByTheOption() {
    LogSpan twoYears = new LogSpan(START, START + 730 * DAY);
    assertEquals(6, twoYears.trainCutoffsWithHistory(90, 20));
    assertEquals(2, twoYears.trainCutoffsWithHistory(90, 2));
    assertEquals(2, twoYears.trainCutoffsWithHistory(180, Integer.MAX_VALUE));
    assertEquals(0, twoYears.trainCutoffsWithHistory(Integer.MAX_VALUE, 20));
  }

  @Test
  void aFirstEventWithinASecondRoundsUpSoTheCutoffFollowsIt() {
    LogSpan span = LogSpan.of(new Timestamp(START * 1000 + 1), new Timestamp((START + 3 * DAY)
        * 1000 + 999));
    assertEquals(START + 1, span.first());
    assertEquals(START + 3 * DAY, span.last());
    assertEquals(0, span.trainCutoffsWithHistory(1, 1));
  }

  @Test
  void aLogWithinOneDayFitsNoWindow() {
    LogSpan day = new LogSpan(START, START + 8 * 3600);
    assertEquals("0.3 days", day.days());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> day.requireTrainingCutoff(1));
    assertEquals("--window-days 1 leaves no training cutoff in a log spanning 0.3 days "
        + "(2016-01-04T00:00:00Z to 2016-01-04T08:00:00Z); no window fits: the test, validation "
        + "and one training window need a log spanning at least 3 days", e.getMessage());
  }
}
