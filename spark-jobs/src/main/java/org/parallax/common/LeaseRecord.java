package org.parallax.common;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

/**
 * The content of an output's lease object: which run holds it (a run id that also names the
 * run's staging directory), where it runs (host, process id), since when, and the last time it
 * proved alive ({@code heartbeat}, epoch milliseconds). Ages are computed from this content,
 * never from a file system's modification times.
 */
record LeaseRecord(String runId, String host, long pid, long since, long heartbeat) {

  /** A fresh record for a run of this process, alive now. */
  static LeaseRecord mine(long now) {
    StagingOwner me = StagingOwner.current();
    return new LeaseRecord(me.tag(), me.host(), me.pid(), now, now);
  }

  LeaseRecord beating(long now) {
    return new LeaseRecord(runId, host, pid, since, now);
  }

  byte[] bytes() {
    Properties p = new Properties();
    p.setProperty("run", runId);
    p.setProperty("host", host);
    p.setProperty("pid", Long.toString(pid));
    p.setProperty("since", Long.toString(since));
    p.setProperty("heartbeat", Long.toString(heartbeat));
    StringWriter w = new StringWriter();
    try {
      p.store(w, "parallax output lease");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The record in {@code bytes}, or null when they are not a whole record (still being written). */
  static LeaseRecord parse(byte[] bytes) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
      String run = p.getProperty("run");
      String host = p.getProperty("host");
      if (run == null || host == null || p.getProperty("heartbeat") == null) {
        return null;
      }
      return new LeaseRecord(run, host, Long.parseLong(p.getProperty("pid")),
          Long.parseLong(p.getProperty("since")), Long.parseLong(p.getProperty("heartbeat")));
    } catch (IOException | NumberFormatException | NullPointerException e) {
      return null;
    }
  }

  /** Whether both records are the same heartbeat of the same run. */
  boolean sameBeat(LeaseRecord other) {
    return other != null && runId.equals(other.runId) && heartbeat == other.heartbeat;
  }

  /** Whose lease this is, for messages: run, host, process and start. */
  String describe() {
    return String.format("run %s on host %s (pid %d) since %s", runId, host, pid,
        Instant.ofEpochMilli(since));
  }
}
