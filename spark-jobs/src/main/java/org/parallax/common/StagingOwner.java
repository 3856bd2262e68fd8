package org.parallax.common;

import java.net.InetAddress;
import java.util.UUID;

/**
 * Who owns a staging directory: its name ends in {@code <random>-<pid>@<host>}, so a later run
 * can tell a directory whose process is gone (same host) from one that is still being written.
 */
record StagingOwner(long pid, String host) {
  private static final StagingOwner CURRENT =
      new StagingOwner(ProcessHandle.current().pid(), localHost());

  static StagingOwner current() {
    return CURRENT;
  }

  /** A fresh tag for a directory of this owner. */
  String tag() {
    return UUID.randomUUID().toString().substring(0, 8) + "-" + pid + "@" + host;
  }

  /**
   * Why the directory with {@code tag} is stale, or null when it may still be in use: its owner
   * ran on this host and is gone, or it is older than {@code staleHours} (also for tags of an
   * unknown form).
   */
  static String staleness(String tag, double ageHours, double staleHours) {
    StagingOwner owner = parse(tag);
    if (owner != null && owner.host.equals(CURRENT.host) && owner.pid != CURRENT.pid
        && ProcessHandle.of(owner.pid).map(p -> !p.isAlive()).orElse(true)) {
      return "its process " + owner.pid + " is gone";
    }
    if (owner != null && owner.equals(CURRENT)) {
      return null;
    }
    if (ageHours > staleHours) {
      return String.format("%.1f hours old, above %s %s", ageHours, StagedOutput.STALE_HOURS,
          staleHours);
    }
    return null;
  }

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

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (Exception e) {
      return "unknown-host";
    }
  }
}
