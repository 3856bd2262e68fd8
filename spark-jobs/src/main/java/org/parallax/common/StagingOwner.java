package org.parallax.common;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Who a run is: its process id and host, so that a run's lease and staging directory
 * ({@code <random>-<pid>@<host>}) tell another run where the holder runs. The host is the
 * system property {@value #HOST_PROPERTY} when set (containers whose host names repeat, and
 * tests that play a second host), else this machine's name.
 */
record StagingOwner(long pid, String host) {
  /** System property that overrides the host name a run reports. */
  static final String HOST_PROPERTY = "parallax.host";
  private static final StagingOwner CURRENT =
      new StagingOwner(ProcessHandle.current().pid(), localHost());

  static StagingOwner current() {
    return CURRENT;
  }

  /** A fresh tag for a run of this owner. */
  String tag() {
    return UUID.randomUUID().toString().substring(0, 8) + "-" + pid + "@" + host;
  }

  /** The owner named in {@code tag}, or null for a tag of another form. */
  static StagingOwner parse(String tag) {
    int dash = tag.indexOf('-');
    int at = tag.indexOf('@', dash + 1);
    if (dash < 0 || at < 0) {
      return null;
    }
    try {
      return new StagingOwner(Long.parseLong(tag.substring(dash + 1, at)), tag.substring(at + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Whether this owner ran on this host and its process is gone. */
  boolean gone() {
    return host.equals(CURRENT.host) && pid != CURRENT.pid
        && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
  }

  private static String localHost() {
    String set = System.getProperty(HOST_PROPERTY);
    if (set != null && !set.isBlank()) {
      return set.replaceAll("[^A-Za-z0-9._-]", "_");
    }
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (Exception e) {
      return "unknown-host";
    }
  }
}
